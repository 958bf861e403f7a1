import { describe, expect, it } from "vitest";
import { addMember, createOrgWithOwner } from "@/test/factories";
import type { Actor } from "../../auth/actor";
import { db } from "../../db";
import { DomainError } from "../../errors";
import { parseTeammatesQuery, usersTableColumnsSchema } from "../../validation/teammates";
import { saveUsersTableColumns } from "./columns";
import { exportTeammatesCsv } from "./export";
import { listTeammatesTable, type TeammateTableRow } from "./table";

const NOW = new Date("2030-01-15T12:00:00Z");
const DAY = 86_400_000;

const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof DomainError ? e.code : String(e)),
  );

async function enableTotp(userId: string, codes: { left: number; total: number }, lastUsedAt: Date | null = null) {
  await db.totpFactor.create({ data: { userId, secretEnc: "v1:not-a-real-secret", keyVersion: 1, lastUsedAt } });
  for (let i = 0; i < codes.total; i++) {
    await db.recoveryCode.create({
      data: { userId, codeHash: `hash-${userId}-${i}`, usedAt: i < codes.total - codes.left ? NOW : null },
    });
  }
}

/** An organization with an owner, an admin and a mix of 2FA states, types and names. */
async function seedOrg() {
  const owner = await createOrgWithOwner();
  const admin = await addMember(owner.actor, { role: "ADMIN", name: "Ana Pereira" });
  const enabled = await addMember(owner.actor, { name: "Tom Li", type: "EMPLOYEE" });
  const sso = await addMember(owner.actor, { name: "Chloe Martin", type: "CLIENT" });
  const exempt = await addMember(owner.actor, { name: "Diego Ramos", type: "CONTRACTOR" });
  const expired = await addMember(owner.actor, { name: "Emma Smith", type: "CONTRACTOR" });
  const plain = await addMember(owner.actor, { name: "Zoe O'Brien", email: `zoe-${Date.now()}@weird.example.test` });
  await enableTotp(enabled.userId, { left: 3, total: 10 }, new Date(NOW.getTime() - DAY));
  await enableTotp(admin.userId, { left: 10, total: 10 });
  await db.user.update({ where: { id: sso.userId }, data: { signInMethod: "SSO" } });
  await db.membership.update({
    where: { id: exempt.membershipId },
    data: { twoFactorExemptUntil: new Date(NOW.getTime() + 5 * DAY), twoFactorExemptReason: "travel" },
  });
  await db.membership.update({
    where: { id: expired.membershipId },
    data: { twoFactorExemptUntil: new Date(NOW.getTime() - DAY) },
  });
  return { owner, admin, enabled, sso, exempt, expired, plain };
}

async function walk(actor: Actor, params: Record<string, string>, limit = 2) {
  const seen: TeammateTableRow[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const page: Awaited<ReturnType<typeof listTeammatesTable>> = await listTeammatesTable(
      { actor, input: { query: parseTeammatesQuery({ ...params, ...(after ? { after } : {}) }), limit } },
      { now: NOW },
    );
    seen.push(...page.rows);
    after = page.nextCursor;
    if (!after) return { seen, total: page.total };
  }
  throw new Error("too many pages");
}

describe("Users table (administrators)", () => {
  it("classifies 2FA: enabled with the app, exempt (SSO), exempt until a date, not set up (also after expiry)", async () => {
    const o = await seedOrg();
    const { seen, total } = await walk(o.owner.actor, {}, 50);
    expect(total).toBe(7);
    const by = new Map(seen.map((r) => [r.userId, r]));
    expect(by.get(o.enabled.userId)).toMatchObject({
      twoFactor: "enabled",
      twoFactorMethod: "App",
      recoveryCodesLeft: 3,
      recoveryCodesTotal: 10,
      lastTwoFactorUseAt: new Date(NOW.getTime() - DAY),
    });
    expect(by.get(o.sso.userId)).toMatchObject({ twoFactor: "exempt-sso", twoFactorMethod: null, signInMethod: "SSO" });
    expect(by.get(o.exempt.userId)).toMatchObject({
      twoFactor: "exempt-until",
      exemptUntil: new Date(NOW.getTime() + 5 * DAY),
    });
    expect(by.get(o.expired.userId)).toMatchObject({ twoFactor: "not-set-up", exemptUntil: null });
    expect(by.get(o.plain.userId)).toMatchObject({ twoFactor: "not-set-up", recoveryCodesTotal: 0 });
    // The exemption ends by itself: a week later the same member is "not set up".
    const later = await listTeammatesTable(
      { actor: o.owner.actor, input: { query: parseTeammatesQuery({ status: "not-set-up" }) } },
      { now: new Date(NOW.getTime() + 7 * DAY) },
    );
    expect(later.rows.map((r) => r.userId)).toContain(o.exempt.userId);
  });

  it("filters by 2FA status, role and type, and searches names and emails case-insensitively", async () => {
    const o = await seedOrg();
    const ids = async (params: Record<string, string>) =>
      (await walk(o.owner.actor, params, 50)).seen.map((r) => r.userId).sort();
    const sorted = (...xs: string[]) => xs.sort();
    expect(await ids({ status: "enabled" })).toEqual(sorted(o.admin.userId, o.enabled.userId));
    expect(await ids({ status: "exempt-sso" })).toEqual([o.sso.userId]);
    expect(await ids({ status: "exempt-until" })).toEqual([o.exempt.userId]);
    expect(await ids({ status: "not-set-up" })).toEqual(sorted(o.owner.userId, o.expired.userId, o.plain.userId));
    expect(await ids({ role: "admin" })).toEqual([o.admin.userId]);
    expect(await ids({ role: "owner" })).toEqual([o.owner.userId]);
    expect(await ids({ type: "contractor" })).toEqual(sorted(o.exempt.userId, o.expired.userId));
    expect(await ids({ type: "contractor", status: "not-set-up" })).toEqual([o.expired.userId]);
    expect(await ids({ q: "PEREIRA" })).toEqual([o.admin.userId]);
    expect(await ids({ q: "WEIRD.example" })).toEqual([o.plain.userId]);
    expect(await ids({ q: "o'brien" })).toEqual([o.plain.userId]);
    expect(await ids({ q: "%" })).toEqual([]); // LIKE wildcards are literal
    // With the organization's SSO exemption turned off (issue 4), the SSO member is simply "not set up".
    await db.organization.update({ where: { id: o.owner.actor.organizationId }, data: { exemptSso: false } });
    expect(await ids({ status: "exempt-sso" })).toEqual([]);
    expect(await ids({ status: "not-set-up" })).toEqual(
      sorted(o.owner.userId, o.expired.userId, o.plain.userId, o.sso.userId),
    );
    const ssoRow = (await walk(o.owner.actor, {}, 50)).seen.find((r) => r.userId === o.sso.userId);
    expect(ssoRow?.twoFactor).toBe("not-set-up");
    expect(await ids({ q: "_" })).toEqual([]);
    expect(await ids({ q: "nobody-matches-this" })).toEqual([]);
  });

  it("sorts by role, name, email, last sign-in and joined both ways; pages walk every member exactly once", async () => {
    const o = await seedOrg();
    await db.user.update({ where: { id: o.plain.userId }, data: { lastSignInAt: new Date(NOW.getTime() - 3 * DAY) } });
    await db.user.update({ where: { id: o.sso.userId }, data: { lastSignInAt: new Date(NOW.getTime() - DAY) } });
    const all = (await walk(o.owner.actor, {}, 50)).seen;
    const key: Record<string, (r: TeammateTableRow) => string> = {
      role: (r) => `${["OWNER", "ADMIN", "MEMBER"].indexOf(r.role)} ${r.joinedAt.toISOString()}`,
      name: (r) => r.name.toLowerCase(),
      email: (r) => r.email.toLowerCase(),
      "last-sign-in": (r) => (r.lastSignInAt ? r.lastSignInAt.toISOString() : ""),
      joined: (r) => r.joinedAt.toISOString(),
    };
    for (const sort of Object.keys(key)) {
      for (const dir of ["asc", "desc"]) {
        for (const limit of [1, 2, 3, 7]) {
          const { seen, total } = await walk(o.owner.actor, { sort, dir }, limit);
          expect(total).toBe(7);
          expect(new Set(seen.map((r) => r.membershipId)).size).toBe(7);
          expect(seen).toHaveLength(7);
          const k = key[sort] as (r: TeammateTableRow) => string;
          const expected = [...all].sort((a, b) => {
            const c = k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : a.membershipId < b.membershipId ? -1 : 1;
            return dir === "asc" ? c : -c;
          });
          expect([sort, dir, limit, seen.map((r) => r.name)]).toEqual([sort, dir, limit, expected.map((r) => r.name)]);
        }
      }
    }
    // Backwards from the last page gives the same rows as forwards.
    const first = await listTeammatesTable(
      { actor: o.owner.actor, input: { query: parseTeammatesQuery({ sort: "name" }), limit: 3 } },
      { now: NOW },
    );
    expect(first.prevCursor).toBeNull();
    const second = await listTeammatesTable(
      {
        actor: o.owner.actor,
        input: { query: parseTeammatesQuery({ sort: "name", after: first.nextCursor ?? "" }), limit: 3 },
      },
      { now: NOW },
    );
    const back = await listTeammatesTable(
      {
        actor: o.owner.actor,
        input: { query: parseTeammatesQuery({ sort: "name", before: second.prevCursor ?? "" }), limit: 3 },
      },
      { now: NOW },
    );
    expect(back.rows.map((r) => r.membershipId)).toEqual(first.rows.map((r) => r.membershipId));
    expect(back.prevCursor).toBeNull();
    expect(back.nextCursor).toBe(first.nextCursor);
  });

  it("bad query parameters fall back to defaults; a foreign or unknown cursor starts at the top", async () => {
    const o = await seedOrg();
    const other = await createOrgWithOwner();
    const bad = parseTeammatesQuery({ sort: "password", dir: "sideways", status: ["x"], role: "god", after: "';--" });
    expect(bad).toMatchObject({ sort: "role", dir: "asc", status: "any", role: "any", after: null });
    const foreignCursor = (await db.membership.findFirstOrThrow({ where: { userId: other.userId } })).id;
    const foreign = await listTeammatesTable(
      { actor: o.owner.actor, input: { query: parseTeammatesQuery({ after: foreignCursor }), limit: 2 } },
      { now: NOW },
    );
    expect(foreign.rows.map((r) => r.userId)).toEqual([o.owner.userId, o.admin.userId]);
  });

  it("refuses members and administrators of another organization", async () => {
    const o = await seedOrg();
    const other = await createOrgWithOwner();
    const q = parseTeammatesQuery({});
    expect(await codeOf(listTeammatesTable({ actor: o.plain.actor, input: { query: q } }))).toBe("FORBIDDEN");
    const stranger = { userId: other.userId, organizationId: o.owner.organizationId, sessionId: null };
    expect(await codeOf(listTeammatesTable({ actor: stranger, input: { query: q } }))).toBe("FORBIDDEN");
    expect(await codeOf(exportTeammatesCsv({ actor: o.plain.actor, input: { query: q } }))).toBe("FORBIDDEN");
    expect(await codeOf(saveUsersTableColumns({ actor: o.plain.actor, input: { columns: ["twoFactor"] } }))).toBe(
      "FORBIDDEN",
    );
    // A removed administrator is refused too.
    await db.membership.update({ where: { id: o.admin.membershipId }, data: { status: "REMOVED" } });
    expect(await codeOf(listTeammatesTable({ actor: o.admin.actor, input: { query: q } }))).toBe("FORBIDDEN");
    // The other organization's own table never shows this one's members.
    const theirs = await listTeammatesTable({ actor: other.actor, input: { query: q } });
    expect(theirs.rows.map((r) => r.userId)).toEqual([other.userId]);
  });
});

describe("column preference", () => {
  it("round-trips per administrator; defaults until chosen; unknown column ids are refused", async () => {
    const o = await seedOrg();
    const q = parseTeammatesQuery({});
    expect((await listTeammatesTable({ actor: o.owner.actor, input: { query: q } })).columns).toEqual([
      "twoFactor",
      "recovery",
      "lastSignIn",
    ]);
    const parsed = usersTableColumnsSchema.parse({ columns: ["joined", "recovery", "recovery"] });
    expect(parsed.columns).toEqual(["recovery", "joined"]);
    await saveUsersTableColumns({ actor: o.owner.actor, input: { columns: parsed.columns } });
    expect((await listTeammatesTable({ actor: o.owner.actor, input: { query: q } })).columns).toEqual([
      "recovery",
      "joined",
    ]);
    // Another administrator keeps their own (default) choice.
    expect((await listTeammatesTable({ actor: o.admin.actor, input: { query: q } })).columns).toContain("twoFactor");
    await saveUsersTableColumns({ actor: o.admin.actor, input: { columns: [] } });
    expect((await listTeammatesTable({ actor: o.admin.actor, input: { query: q } })).columns).toEqual([]);
    expect((await listTeammatesTable({ actor: o.owner.actor, input: { query: q } })).columns).toEqual([
      "recovery",
      "joined",
    ]);

    expect(usersTableColumnsSchema.safeParse({ columns: ["twoFactor", "passwordHash"] }).success).toBe(false);
    expect(usersTableColumnsSchema.safeParse({ columns: "twoFactor" }).success).toBe(false);
    expect(
      await codeOf(saveUsersTableColumns({ actor: o.owner.actor, input: { columns: ["secretEnc" as never] } })),
    ).toBe("VALIDATION");
    expect((await listTeammatesTable({ actor: o.owner.actor, input: { query: q } })).columns).toEqual([
      "recovery",
      "joined",
    ]);
  });
});

describe("CSV export", () => {
  const read = async (stream: ReadableStream<Uint8Array>) =>
    new TextDecoder("utf-8", { ignoreBOM: true }).decode(await new Response(stream).arrayBuffer());

  it("exports the filtered view in pages, quotes commas, quotes and newlines, neutralises formulas, no secrets", async () => {
    const o = await seedOrg();
    const evil = ['Lee, "Boss"\nJr', '=HYPERLINK("http://evil.test","x")', "+SUM(1,2)", "-2+3", "@cmd"];
    // A name with a line break cannot be typed any more (S45), but may come from older rows: set it directly.
    for (const name of evil) {
      const m = await addMember(o.owner.actor, { name: name.replace(/\n/g, " "), type: "CLIENT" });
      await db.user.update({ where: { id: m.userId }, data: { name } });
    }
    const all = await read(
      await exportTeammatesCsv(
        { actor: o.owner.actor, input: { query: parseTeammatesQuery({ sort: "name" }), pageSize: 2 } },
        { now: NOW },
      ),
    );
    expect(all.startsWith('\uFEFF"name","email","role","type","sign_in_method","two_factor"')).toBe(true);
    const lines = all.slice(1).split("\r\n").filter(Boolean);
    expect(lines).toHaveLength(1 + 7 + 5);
    expect(all).toContain('"Lee, ""Boss""\nJr"');
    expect(all).toContain(`"'=HYPERLINK(""http://evil.test"",""x"")"`);
    expect(all).toContain(`"'+SUM(1,2)"`);
    expect(all).toContain(`"'-2+3"`);
    expect(all).toContain(`"'@cmd"`);
    expect(all).not.toMatch(/hash-|not-a-real-secret|\$argon/);
    expect(all).toContain('"Tom Li",');
    expect(all).toMatch(/"Tom Li","[^"]+","member","employee","password","enabled","App","","3","10"/);

    const filtered = await read(
      await exportTeammatesCsv(
        {
          actor: o.owner.actor,
          input: { query: parseTeammatesQuery({ status: "not-set-up", type: "client" }), pageSize: 2 },
        },
        { now: NOW },
      ),
    );
    const rows = filtered.slice(1).split("\r\n").filter(Boolean);
    expect(rows).toHaveLength(1 + 5); // the five new clients (records end in CRLF; Lee's LF stays inside the field)
    expect(filtered).not.toContain("Chloe Martin"); // client, but exempt (SSO)

    const empty = await read(
      await exportTeammatesCsv({ actor: o.owner.actor, input: { query: parseTeammatesQuery({ q: "nobody-at-all" }) } }),
    );
    expect(empty).toBe(
      `\uFEFF${'"name","email","role","type","sign_in_method","two_factor","two_factor_method","exempt_until","recovery_codes_left","recovery_codes_total","last_two_factor_use","last_sign_in","joined"'}\r\n`,
    );
  });
});
