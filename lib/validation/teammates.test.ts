import { describe, expect, it } from "vitest";
import { parseTeammatesQuery, usersTableColumnsSchema } from "./teammates";

describe("Users table query (from the URL)", () => {
  it("defaults when empty; keeps valid values; trims the search", () => {
    expect(parseTeammatesQuery({})).toEqual({
      q: "",
      status: "any",
      method: "any",
      role: "any",
      type: "any",
      sort: "role",
      dir: "asc",
      after: null,
      before: null,
    });
    expect(
      parseTeammatesQuery({
        q: "  Ana ",
        status: "not-set-up",
        method: "sms",
        role: "admin",
        type: "client",
        sort: "name",
        dir: "desc",
      }),
    ).toMatchObject({
      q: "Ana",
      status: "not-set-up",
      method: "sms",
      role: "admin",
      type: "client",
      sort: "name",
      dir: "desc",
    });
  });

  it("falls back per parameter on bad input, never throws", () => {
    const q = parseTeammatesQuery({
      q: "x".repeat(500),
      status: "hacked",
      method: "carrier-pigeon",
      role: ["admin", "member"],
      type: "",
      sort: "passwordHash",
      dir: "up",
      after: "'; DROP TABLE x; --",
      before: "ok123",
    });
    expect(q).toEqual({
      q: "",
      status: "any",
      method: "any",
      role: "admin",
      type: "any",
      sort: "role",
      dir: "asc",
      after: null,
      before: "ok123",
    });
  });

  it("column choices: known ids only, in table order, no duplicates", () => {
    expect(usersTableColumnsSchema.parse({ columns: ["joined", "twoFactor", "joined"] }).columns).toEqual([
      "twoFactor",
      "joined",
    ]);
    expect(usersTableColumnsSchema.safeParse({ columns: ["email"] }).success).toBe(false);
    expect(usersTableColumnsSchema.safeParse({}).success).toBe(false);
  });
});
