import { describe, expect, it } from "vitest";
import { queryString } from "./href";

describe("Users table links", () => {
  it("links leave defaults out and keep the rest", () => {
    const base = { q: "", status: "any", method: "any", role: "any", type: "any", sort: "role", dir: "asc" as const };
    expect(queryString(base)).toBe("");
    expect(queryString({ ...base, q: "a b", status: "enabled" }, { sort: "name", dir: "desc" })).toBe(
      "?q=a+b&status=enabled&sort=name&dir=desc",
    );
    expect(queryString({ ...base, method: "sms" })).toBe("?method=sms");
  });
});
