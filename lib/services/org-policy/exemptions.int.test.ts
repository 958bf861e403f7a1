// Exemptions from the organization's 2FA requirement against a real PostgreSQL: who may grant/remove them (S25),
// the 1–30 day range, the audit rows, and expiry by time (a fake clock: every call takes `now`).
import { describe, expect, it } from "vitest";
import { addMember, createOrgWithOwner, ctx, steppedUp } from "@/test/factories";
import { db } from "../../db";
import { DomainError } from "../../errors";
import { grantTwoFactorExemption, isExempt, revokeTwoFactorExemption } from "./exemptions";

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof DomainError ? e.code : `unexpected: ${String(e)}`),
  );
const DAY = 24 * 3600_000;
const later = (base: Date, ms: number) => new Date(base.getTime() + ms);

async function world() {
  const owner = await createOrgWithOwner();
  const admin = await addMember(owner.actor, { role: "ADMIN", name: "Ada Admin" });
  const member = await addMember(owner.actor, { name: "Max Member" });
  const member2 = await addMember(owner.actor, { name: "Mia Member" });
  const removed = await addMember(owner.actor, { name: "Rex Removed" });
  await db.membership.update({ where: { id: removed.membershipId }, data: { status: "REMOVED" } });
  const other = await createOrgWithOwner();
  const otherAdmin = await addMember(other.actor, { role: "ADMIN" });
  const ownerMembershipId = (
    await db.membership.findFirstOrThrow({ where: { organizationId: owner.organizationId, role: "OWNER" } })
  ).id;
  return { owner: { ...owner, membershipId: ownerMembershipId }, admin, member, member2, removed, otherAdmin };
}
type World = Awaited<ReturnType<typeof world>>;

async function state(w: World) {
  const ids = [w.owner.membershipId, w.admin.membershipId, w.member.membershipId, w.member2.membershipId];
  const rows = await db.membership.findMany({
    where: { id: { in: [...ids, w.removed.membershipId] } },
    select: { id: true, twoFactorExemptUntil: true, twoFactorExemptReason: true, twoFactorExemptById: true },
    orderBy: { id: "asc" },
  });
  const audits = await db.auditEvent.count({
    where: { type: { in: ["2fa.exemption_granted", "2fa.exemption_revoked"] }, organizationId: w.owner.organizationId },
  });
  return JSON.stringify({ rows, audits });
}

describe("2FA exemptions", () => {
  it("matrix: only an admin of the same organization, never on the owner or themselves; nothing changes", async () => {
    const w = await world();
    const now = new Date();
    const as = {
      member: await steppedUp(w.member, now),
      admin: await steppedUp(w.admin, now),
      owner: await steppedUp(w.owner, now),
      otherAdmin: await steppedUp(w.otherAdmin, now),
    };
    const grant = (
      actor: { userId: string; organizationId: string; sessionId: string },
      membershipId: string,
      days = 7,
    ) =>
      codeOf(
        grantTwoFactorExemption(
          { actor, input: { membershipId, days, reason: "new phone next week" }, context: ctx },
          { now },
        ),
      );
    const before = await state(w);
    const cases: [string, Promise<string>, string][] = [
      ["member → member", grant(as.member, w.member2.membershipId), "FORBIDDEN"],
      ["member → themself", grant(as.member, w.member.membershipId), "FORBIDDEN"],
      ["admin → owner", grant(as.admin, w.owner.membershipId), "OWNER_PROTECTED"],
      ["admin → themself", grant(as.admin, w.admin.membershipId), "NOT_ON_YOURSELF"],
      ["owner → themself", grant(as.owner, w.owner.membershipId), "NOT_ON_YOURSELF"],
      ["admin of another org → member", grant(as.otherAdmin, w.member.membershipId), "NOT_FOUND"],
      [
        "admin of another org claiming this org",
        grant({ ...as.otherAdmin, organizationId: w.owner.organizationId }, w.member.membershipId),
        "FORBIDDEN",
      ],
      ["admin → removed member", grant(as.admin, w.removed.membershipId), "NOT_FOUND"],
      ["admin → unknown id", grant(as.admin, "nope"), "NOT_FOUND"],
      ["0 days", grant(as.admin, w.member.membershipId, 0), "VALIDATION"],
      ["31 days", grant(as.admin, w.member.membershipId, 31), "VALIDATION"],
      ["1.5 days", grant(as.admin, w.member.membershipId, 1.5), "VALIDATION"],
    ];
    const results = await Promise.all(cases.map(async ([label, p]) => [label, await p]));
    expect(Object.fromEntries(results)).toEqual(Object.fromEntries(cases.map(([label, , code]) => [label, code])));
    expect(
      await codeOf(
        grantTwoFactorExemption(
          { actor: as.admin, input: { membershipId: w.member.membershipId, days: 3, reason: " " }, context: ctx },
          { now },
        ),
      ),
    ).toBe("VALIDATION");
    expect(
      await codeOf(
        revokeTwoFactorExemption(
          { actor: w.member.actor, input: { membershipId: w.member2.membershipId }, context: ctx },
          { now },
        ),
      ),
    ).toBe("FORBIDDEN");
    expect(
      await codeOf(
        revokeTwoFactorExemption(
          { actor: w.admin.actor, input: { membershipId: w.owner.membershipId }, context: ctx },
          { now },
        ),
      ),
    ).toBe("OWNER_PROTECTED");
    expect(await state(w)).toBe(before);
    // The allowed pairs: owner → admin, admin → member, at both ends of the range.
    expect(await grant(as.owner, w.admin.membershipId, 30)).toBe("ok");
    expect(await grant(as.admin, w.member.membershipId, 1)).toBe("ok");
  });

  it("grants for N days with a reason, audited; expires by itself; can be removed early, once", async () => {
    const w = await world();
    const t0 = new Date("2026-11-24T10:00:00.000Z");
    const { until } = await grantTwoFactorExemption(
      {
        actor: await steppedUp(w.admin, t0),
        input: { membershipId: w.member.membershipId, days: 7, reason: "  phone in repair  " },
        context: ctx,
      },
      { now: t0 },
    );
    expect(until.toISOString()).toBe("2026-12-01T10:00:00.000Z");
    const m = await db.membership.findUniqueOrThrow({ where: { id: w.member.membershipId } });
    expect(m).toMatchObject({ twoFactorExemptReason: "phone in repair", twoFactorExemptById: w.admin.userId });
    expect(isExempt(m, later(t0, 7 * DAY - 1))).toBe(true);
    expect(isExempt(m, later(t0, 7 * DAY))).toBe(false);
    const granted = await db.auditEvent.findFirstOrThrow({
      where: { type: "2fa.exemption_granted", targetId: w.member.userId },
    });
    expect(granted).toMatchObject({ actorId: w.admin.userId, organizationId: w.owner.organizationId });
    expect(granted.metadata).toMatchObject({ days: 7, reason: "phone in repair", until: until.toISOString() });

    // After expiry there is nothing to remove, and nothing is written.
    expect(
      await codeOf(
        revokeTwoFactorExemption(
          { actor: w.admin.actor, input: { membershipId: w.member.membershipId }, context: ctx },
          { now: later(t0, 8 * DAY) },
        ),
      ),
    ).toBe("NO_EXEMPTION");

    // Removed early: the requirement applies again, audited once; a second removal is refused.
    const t1 = later(t0, DAY);
    await revokeTwoFactorExemption(
      { actor: w.owner.actor, input: { membershipId: w.member.membershipId }, context: ctx },
      { now: t1 },
    );
    const after = await db.membership.findUniqueOrThrow({ where: { id: w.member.membershipId } });
    expect(after).toMatchObject({ twoFactorExemptUntil: null, twoFactorExemptReason: null, twoFactorExemptById: null });
    expect(
      await codeOf(
        revokeTwoFactorExemption(
          { actor: w.owner.actor, input: { membershipId: w.member.membershipId }, context: ctx },
          { now: t1 },
        ),
      ),
    ).toBe("NO_EXEMPTION");
    const revoked = await db.auditEvent.findMany({
      where: { type: "2fa.exemption_revoked", targetId: w.member.userId },
    });
    expect(revoked).toHaveLength(1);
    expect(revoked[0]?.metadata).toMatchObject({ reason: "phone in repair", wasUntil: until.toISOString() });
  });
});
