// The policy clock over several organizations when one of them fails: the others are still served in the same run
// (grace expiry, reminders, snapshots), the failure is reported, and the next run retries it. The fault is a
// PostgreSQL trigger refusing writes to one organization's row (test/fault.ts), as a broken row or a full disk would.
import { afterEach, describe, expect, it } from "vitest";
import { addMember, createOrgWithOwner, signIn } from "@/test/factories";
import { injectFault } from "@/test/fault";
import { db } from "../../db";
import { DAY_MS } from "../../time";
import { runPolicyClock } from "./clock";

const HOUR = 3600_000;
const faults: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const remove of faults.splice(0)) await remove();
});

/** An organization requiring 2FA with a grace deadline `deadlineIn` from now, and one member without 2FA signed in. */
async function inGrace(name: string, deadlineIn: number, now: Date) {
  const owner = await createOrgWithOwner({ plan: "PROFESSIONAL", name });
  const member = await addMember(owner.actor, { name: `${name} Member` });
  await signIn(member, now);
  await db.organization.update({
    where: { id: owner.organizationId },
    data: {
      requireTwoFactor: true,
      enforcementMode: "GRACE",
      exemptSso: false,
      graceDeadline: new Date(now.getTime() + deadlineIn),
    },
  });
  return { id: owner.organizationId, member };
}

const graceExpiredAt = async (id: string) =>
  (await db.organization.findUniqueOrThrow({ where: { id }, select: { graceExpiredAt: true } })).graceExpiredAt;
const remindersTo = (email: string) =>
  db.outboxMessage.count({
    where: { to: email, template: "org-two-factor", payload: { path: ["kind"], equals: "reminder" } },
  });
const liveSessions = (userId: string) => db.session.count({ where: { userId, revokedAt: null } });

describe("policy clock", () => {
  it("one organization's failing step does not hold back the others; it is reported and retried next run", async () => {
    const now = new Date();
    const expiredBroken = await inGrace("Clock Expiry Broken", -HOUR, now);
    const expiredOk = await inGrace("Clock Expiry Ok", -HOUR, now);
    const remindBroken = await inGrace("Clock Remind Broken", 5 * DAY_MS, now);
    const remindOk = await inGrace("Clock Remind Ok", 5 * DAY_MS, now);
    const all = [expiredBroken, expiredOk, remindBroken, remindOk];
    faults.push(
      await injectFault("Organization", expiredBroken.id),
      await injectFault("Organization", remindBroken.id),
    );

    const first = await runPolicyClock({ now, organizationId: all.map((o) => o.id) });

    // The healthy organizations were served: grace ended and the member signed out; the 7-day reminder queued.
    expect(first.organizationsExpired).toBe(1);
    expect(await graceExpiredAt(expiredOk.id)).toEqual(now);
    expect(await liveSessions(expiredOk.member.userId)).toBe(0);
    expect(await remindersTo(remindOk.member.email)).toBe(1);
    // The failing ones changed nothing and are reported, each with its step.
    expect(await graceExpiredAt(expiredBroken.id)).toBeNull();
    expect(await liveSessions(expiredBroken.member.userId)).toBe(1);
    expect(await remindersTo(remindBroken.member.email)).toBe(0);
    expect(first.failures.map((f) => [f.organizationId, f.step]).sort()).toEqual(
      [
        [expiredBroken.id, "grace-expiry"],
        [remindBroken.id, "reminder-7"],
      ].sort(),
    );
    expect(first.failures.every((f) => f.error.includes("injected fault"))).toBe(true);
    // The dashboard's snapshot step still ran, for every organization.
    const snapshotted = await db.adoptionSnapshot.groupBy({
      by: ["organizationId"],
      where: { organizationId: { in: all.map((o) => o.id) } },
    });
    expect(snapshotted).toHaveLength(4);

    // Mended: the next run does what the failed one could not, and nothing twice.
    for (const remove of faults.splice(0)) await remove();
    const later = new Date(now.getTime() + 60_000);
    const second = await runPolicyClock({ now: later, organizationId: all.map((o) => o.id) });
    expect(second).toMatchObject({ organizationsExpired: 1, failures: [] });
    expect(await graceExpiredAt(expiredBroken.id)).toEqual(later);
    expect(await liveSessions(expiredBroken.member.userId)).toBe(0);
    expect(await remindersTo(remindBroken.member.email)).toBe(1);
    expect(await remindersTo(remindOk.member.email)).toBe(1);
    expect(await graceExpiredAt(expiredOk.id)).toEqual(now);
  });
});
