// Ownership transfer against a real PostgreSQL: who may transfer to whom, what a wrong password or code leaves
// behind (nothing), concurrent transfers (exactly one owner), and the audit row and both mails of a success.
import { describe, expect, it } from "vitest";
import { addMember, createOrgWithOwner, ctx, PASSWORD } from "@/test/factories";
import { totpAt } from "../../crypto/totp";
import { db } from "../../db";
import { DomainError } from "../../errors";
import { createSession } from "../sessions/create-session";
import { confirmTotpEnrollment } from "../two-factor/confirm-enrollment";
import { startTotpEnrollment } from "../two-factor/enrollment";
import { transferOptions } from "./transfer-options";
import { transferOwnership } from "./transfer-ownership";

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof DomainError ? e.code : `unexpected: ${String(e)}`),
  );
const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);

/** Turns on 2FA for `p` through the real services at `now`; returns the authenticator secret and recovery codes. */
async function withTwoFactor<P extends { userId: string }>(p: P, now: Date) {
  const { id: sessionId } = await createSession(db, { userId: p.userId, authMethod: "password", context: ctx }, now);
  const enrollment = await startTotpEnrollment(
    { actor: { userId: p.userId, sessionId, organizationId: null }, context: ctx },
    { now },
  );
  const secret = new URL(enrollment.otpauthUri).searchParams.get("secret") ?? "";
  const { recoveryCodes } = await confirmTotpEnrollment(
    {
      actor: { userId: p.userId, sessionId, organizationId: null },
      input: { password: PASSWORD, code: totpAt(secret, { time: now.getTime() }) },
      context: ctx,
    },
    { now },
  );
  return { ...p, secret, recoveryCodes };
}

async function roles(organizationId: string) {
  const rows = await db.membership.findMany({ where: { organizationId }, select: { userId: true, role: true } });
  return Object.fromEntries(rows.map((r) => [r.userId, r.role]));
}

async function world() {
  const t0 = new Date();
  const base = await createOrgWithOwner();
  const org = base.organizationId;
  const owner = await withTwoFactor(base, t0);
  const admin = await withTwoFactor(await addMember(base.actor, { role: "ADMIN", name: "Ada Admin" }), t0);
  const admin2 = await withTwoFactor(await addMember(base.actor, { role: "ADMIN", name: "Abe Admin" }), t0);
  const adminNo2fa = await addMember(base.actor, { role: "ADMIN", name: "Nell No2fa" });
  const member = await withTwoFactor(await addMember(base.actor, { name: "Max Member" }), t0);
  const removedAdmin = await withTwoFactor(await addMember(base.actor, { role: "ADMIN", name: "Rex Removed" }), t0);
  await db.membership.update({ where: { id: removedAdmin.membershipId }, data: { status: "REMOVED" } });
  const ownerMembershipId = (await db.membership.findFirstOrThrow({ where: { organizationId: org, role: "OWNER" } }))
    .id;
  return { t0, org, owner: { ...owner, membershipId: ownerMembershipId }, admin, admin2, adminNo2fa, member };
}

type World = Awaited<ReturnType<typeof world>>;
const as = (w: World, p: { userId: string }) => ({ userId: p.userId, organizationId: w.org, sessionId: null });

describe("who may transfer ownership to whom", () => {
  it("refuses every actor but the owner, and every target but an active same-org admin with 2FA", async () => {
    const w = await world();
    const other = await createOrgWithOwner();
    const otherAdmin = await withTwoFactor(await addMember(other.actor, { role: "ADMIN" }), w.t0);
    const removed = await db.membership.findFirstOrThrow({ where: { organizationId: w.org, status: "REMOVED" } });
    const now = at(w.t0, 60);
    let step = 0;
    // Each attempt gets a fresh valid code (a later step), so a refusal is never a wrong or replayed code.
    const attempt = (actor: { userId: string; secret: string }, organizationId: string, membershipId: string) => {
      step += 1;
      const when = at(now, step * 30);
      return codeOf(
        transferOwnership(
          {
            actor: { userId: actor.userId, organizationId, sessionId: null },
            input: { membershipId, password: PASSWORD, code: totpAt(actor.secret, { time: when.getTime() }) },
            context: ctx,
          },
          { now: when },
        ),
      );
    };
    const before = await roles(w.org);
    const cases: [string, Promise<string>, string][] = [
      ["admin → admin2", attempt(w.admin, w.org, w.admin2.membershipId), "OWNERSHIP_NOT_OWNER"],
      ["member → admin", attempt(w.member, w.org, w.admin.membershipId), "OWNERSHIP_NOT_OWNER"],
      ["another org's admin, into this org", attempt(otherAdmin, w.org, w.admin.membershipId), "OWNERSHIP_NOT_OWNER"],
      ["owner → a member", attempt(w.owner, w.org, w.member.membershipId), "OWNERSHIP_TARGET_INVALID"],
      ["owner → a removed admin", attempt(w.owner, w.org, removed.id), "OWNERSHIP_TARGET_INVALID"],
      ["owner → themself", attempt(w.owner, w.org, w.owner.membershipId), "OWNERSHIP_TARGET_INVALID"],
      ["owner → other org's admin", attempt(w.owner, w.org, otherAdmin.membershipId), "OWNERSHIP_TARGET_INVALID"],
      ["owner → unknown id", attempt(w.owner, w.org, "nope"), "OWNERSHIP_TARGET_INVALID"],
      [
        "owner → admin without 2FA",
        attempt(w.owner, w.org, w.adminNo2fa.membershipId),
        "OWNERSHIP_TARGET_NO_TWO_FACTOR",
      ],
    ];
    const results: Record<string, string> = {};
    for (const [name, p] of cases) results[name] = await p;
    expect(results).toEqual(Object.fromEntries(cases.map(([name, , expected]) => [name, expected])));
    expect(await roles(w.org)).toEqual(before);
    expect(await db.auditEvent.count({ where: { organizationId: w.org, type: "ownership.transferred" } })).toBe(0);
  });

  it("lists only active admins with 2FA as candidates, and only to the owner", async () => {
    const w = await world();
    const options = await transferOptions({ actor: as(w, w.owner) });
    expect(options.candidates.map((c) => c.name).sort()).toEqual(["Abe Admin", "Ada Admin"]);
    expect(options.adminsWithoutTwoFactor).toBe(1);
    expect(options.ownerHasTwoFactor).toBe(true);
    expect(await codeOf(transferOptions({ actor: as(w, w.admin) }))).toBe("OWNERSHIP_NOT_OWNER");
    expect(await codeOf(transferOptions({ actor: as(w, w.member) }))).toBe("OWNERSHIP_NOT_OWNER");
  });

  it("an owner without 2FA must turn it on first", async () => {
    const base = await createOrgWithOwner();
    const admin = await withTwoFactor(await addMember(base.actor, { role: "ADMIN" }), new Date());
    expect((await transferOptions({ actor: base.actor })).ownerHasTwoFactor).toBe(false);
    expect(
      await codeOf(
        transferOwnership({
          actor: base.actor,
          input: { membershipId: admin.membershipId, password: PASSWORD, code: "123456" },
          context: ctx,
        }),
      ),
    ).toBe("OWNERSHIP_OWNER_NO_TWO_FACTOR");
  });
});

describe("confirmation", () => {
  it("a wrong password or a wrong code changes nothing and consumes nothing", async () => {
    const w = await world();
    const now = at(w.t0, 90);
    const good = totpAt(w.owner.secret, { time: now.getTime() });
    const before = await roles(w.org);
    const input = { membershipId: w.admin.membershipId };
    expect(
      await codeOf(
        transferOwnership(
          { actor: as(w, w.owner), input: { ...input, password: "wrong password", code: good }, context: ctx },
          { now },
        ),
      ),
    ).toBe("INVALID_PASSWORD");
    const wrong = good === "000000" ? "111111" : "000000";
    expect(
      await codeOf(
        transferOwnership(
          { actor: as(w, w.owner), input: { ...input, password: PASSWORD, code: wrong }, context: ctx },
          { now },
        ),
      ),
    ).toBe("INVALID_CODE");
    expect(await roles(w.org)).toEqual(before);
    expect(await db.auditEvent.count({ where: { organizationId: w.org, type: "ownership.transferred" } })).toBe(0);
    // The good code was not consumed by the refused attempts: it still works.
    await transferOwnership(
      { actor: as(w, w.owner), input: { ...input, password: PASSWORD, code: good }, context: ctx },
      { now },
    );
    expect((await roles(w.org))[w.admin.userId]).toBe("OWNER");
  });

  it("a success swaps the roles, writes one audit row and mails both people; the former owner can no longer transfer", async () => {
    const w = await world();
    const now = at(w.t0, 120);
    const code = totpAt(w.owner.secret, { time: now.getTime() });
    const result = await transferOwnership(
      {
        actor: as(w, w.owner),
        input: { membershipId: w.admin.membershipId, password: PASSWORD, code },
        context: { ip: "203.0.113.5", userAgent: "vitest" },
      },
      { now },
    );
    expect(result.newOwner.name).toBe("Ada Admin");
    const r = await roles(w.org);
    expect(r[w.admin.userId]).toBe("OWNER");
    expect(r[w.owner.userId]).toBe("ADMIN");
    expect(Object.values(r).filter((x) => x === "OWNER")).toHaveLength(1);

    const audit = await db.auditEvent.findMany({ where: { organizationId: w.org, type: "ownership.transferred" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: w.owner.userId, targetId: w.admin.userId, ip: "203.0.113.5" });

    const mails = await db.outboxMessage.findMany({
      where: { template: "ownership-transferred", to: { in: [w.owner.email, w.admin.email] } },
    });
    expect(mails.map((m) => [m.to, (m.payload as { recipient: string }).recipient]).sort()).toEqual(
      [
        [w.admin.email, "new-owner"],
        [w.owner.email, "previous-owner"],
      ].sort(),
    );

    // The former owner cannot transfer again (even with a fresh code); the new owner can, back to them.
    const later = at(now, 30);
    expect(
      await codeOf(
        transferOwnership(
          {
            actor: as(w, w.owner),
            input: {
              membershipId: w.admin2.membershipId,
              password: PASSWORD,
              code: totpAt(w.owner.secret, { time: later.getTime() }),
            },
            context: ctx,
          },
          { now: later },
        ),
      ),
    ).toBe("OWNERSHIP_NOT_OWNER");
    await transferOwnership(
      {
        actor: as(w, w.admin),
        input: {
          membershipId: w.owner.membershipId,
          password: PASSWORD,
          code: totpAt(w.admin.secret, { time: later.getTime() }),
        },
        context: ctx,
      },
      { now: later },
    );
    expect((await roles(w.org))[w.owner.userId]).toBe("OWNER");
  });
});

describe("concurrency", () => {
  it("concurrent transfers to different admins leave exactly one owner", async () => {
    const w = await world();
    const now = at(w.t0, 150);
    // One attempt with the app code, others with recovery codes: different rows, so only the conditional role
    // updates can stop a second success.
    const attempts = [
      { membershipId: w.admin.membershipId, method: "totp" },
      { membershipId: w.admin2.membershipId, method: "recovery", code: w.owner.recoveryCodes[0] },
      { membershipId: w.admin.membershipId, method: "recovery", code: w.owner.recoveryCodes[1] },
      { membershipId: w.admin2.membershipId, method: "recovery", code: w.owner.recoveryCodes[2] },
    ];
    const outcomes = await Promise.all(
      attempts.map((a) =>
        codeOf(transferOwnershipWith(w, a.membershipId, a.method === "totp" ? undefined : (a.code as string), now)),
      ),
    );
    expect(outcomes.filter((o) => o === "ok")).toHaveLength(1);
    for (const o of outcomes) expect(["ok", "OWNERSHIP_NOT_OWNER"]).toContain(o);
    const r = await roles(w.org);
    expect(Object.values(r).filter((x) => x === "OWNER")).toHaveLength(1);
    expect(r[w.owner.userId]).toBe("ADMIN");
    expect(await db.auditEvent.count({ where: { organizationId: w.org, type: "ownership.transferred" } })).toBe(1);
    expect(
      await db.outboxMessage.count({
        where: { template: "ownership-transferred", to: { in: [w.owner.email, w.admin.email, w.admin2.email] } },
      }),
    ).toBe(2);
  });
});

/** The owner's transfer to `membershipId`, confirmed with the app code at `now` or with a recovery code. */
function transferOwnershipWith(w: World, membershipId: string, recoveryCode: string | undefined, now: Date) {
  const confirmation = recoveryCode
    ? { method: "recovery" as const, code: recoveryCode }
    : { method: "totp" as const, code: totpAt(w.owner.secret, { time: now.getTime() }) };
  return transferOwnership(
    { actor: as(w, w.owner), input: { membershipId, password: PASSWORD, ...confirmation }, context: ctx },
    { now },
  );
}
