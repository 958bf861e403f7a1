// The dashboard's adoption history (issue 15 §2) against a real PostgreSQL, on a fake clock: a known sequence of
// joins, enrolments, an admin reset, a turn-off and a removal over nine days. Every step runs through the product's
// services at its fake time, and the audit rows it wrote are dated to that time (the audit log stamps rows with the
// database clock, which a test cannot move). The policy clock runs at the end of each day and again just after
// midnight, as it does every minute in production. Every day's value is then checked twice: as the clock left it,
// and after deleting every snapshot and rebuilding the whole history from the audit log alone (the backfill).
import { describe, expect, it } from "vitest";
import { totpAt } from "@/lib/crypto/totp";
import { addMember, createOrgWithOwner, ctx, PASSWORD, withTwoFactor } from "@/test/factories";
import { allowUkSms, phoneContext, uniqueUkMobile, withPhone } from "@/test/phone";
import { latestText } from "@/test/sms";
import { db } from "../../db";
import { recordAuditEvent } from "../audit/audit-log";
import { runPolicyClock } from "../org-policy/clock";
import { resetTeammateTwoFactor } from "../teammates/reset-teammate-two-factor";
import { disableTwoFactor } from "../two-factor/disable";
import { confirmNewNumber, confirmOldNumber, sendPhoneChangeOldCode } from "../two-factor/phone-change";
import { removePhone, sendPhoneDisableCode } from "../two-factor/phone-disable";
import { dayKey } from "./day";
import { currentAdoption } from "./figures";
import { writeAdoptionSnapshots } from "./history";

const BASE = Date.UTC(2026, 5, 1); // 1 June 2026, 00:00 UTC: day 0
const at = (day: number, hour: number) => new Date(BASE + day * 86_400_000 + hour * 3_600_000);

/** Runs one step of the story at `when`, then dates the audit rows it wrote (and only those) to `when`. */
async function step<T>(organizationIds: string[], when: Date, fn: () => Promise<T>): Promise<T> {
  const started = await db.$queryRaw<{ t: Date }[]>`SELECT clock_timestamp() AS t`;
  const result = await fn();
  await db.auditEvent.updateMany({
    where: { organizationId: { in: organizationIds }, createdAt: { gte: started[0]?.t } },
    data: { createdAt: when },
  });
  return result;
}

async function history(organizationId: string) {
  const rows = await db.adoptionSnapshot.findMany({ where: { organizationId }, orderBy: { day: "asc" } });
  return rows.map((r) => `${dayKey(r.day)} ${r.members}/${r.enrolled} ${r.source}`);
}

describe("adoption history", () => {
  it("replays enrolments, resets, a turn-off and a removal exactly, day by day, and rebuilds it from the audit log", {
    timeout: 300_000,
  }, async () => {
    const owner = await createOrgWithOwner();
    const org = owner.organizationId;
    const other = await createOrgWithOwner(); // a second organization that shares a member: its events never count here
    const orgs = [org, other.organizationId];
    // The organization was created at day 0, 10:00.
    await db.organization.update({ where: { id: org }, data: { createdAt: at(0, 10) } });
    await db.auditEvent.updateMany({ where: { organizationId: org }, data: { createdAt: at(0, 10) } });
    const endOfDay = async (d: number) => {
      await runPolicyClock({ now: at(d, 23.9), organizationId: org }); // the last run of the day: a live row
      await runPolicyClock({ now: at(d + 1, 0.02), organizationId: org }); // the first run of the next: day d finalised
    };
    const expected: Record<number, [number, number]> = {};
    const check = async (d: number, members: number, enrolled: number) => {
      expected[d] = [members, enrolled];
      const live = await currentAdoption(db, org, at(d, 23.95));
      expect([live.members, live.enrolled], `live count on day ${d}`).toEqual([members, enrolled]);
      await endOfDay(d);
    };

    await check(0, 1, 0); // the owner alone
    const ann = await step(orgs, at(1, 9), () => addMember(owner.actor, { name: "Ann" }));
    const bob = await step(orgs, at(1, 9.5), () => addMember(owner.actor, { name: "Bob" }));
    // Bob also belongs to the other organization (joins it later; that join is not an event of this one).
    await step(orgs, at(1, 10), () => addMember(other.actor, { email: bob.email }));
    await check(1, 3, 0);
    await step(orgs, at(2, 14), () => withTwoFactor(ann, at(2, 14)));
    const ownerWith2fa = await step(orgs, at(2, 15), () => withTwoFactor(owner, at(2, 15)));
    await check(2, 3, 2);
    await check(3, 3, 2); // a quiet day
    // Day 4: the owner resets Ann's 2FA (an admin reset removes her authenticator).
    const stepped = { ...owner.actor, sessionId: ownerWith2fa.sessionId };
    await db.session.update({
      where: { id: ownerWith2fa.sessionId },
      data: { stepUpAt: at(4, 11), expiresAt: at(30, 0) },
    });
    await step(orgs, at(4, 11), () =>
      resetTeammateTwoFactor(
        { actor: stepped, input: { membershipId: ann.membershipId }, context: ctx },
        { now: at(4, 11) },
      ),
    );
    await check(4, 3, 1);
    const bob2fa = await step(orgs, at(5, 10), () => withTwoFactor(bob, at(5, 10)));
    await check(5, 3, 2);
    // Day 6: Ann leaves (the console has no removal yet: the membership ends and its audit row is written, as the
    // removal service will), Cleo joins the same day.
    await step(orgs, at(6, 12), () =>
      db.$transaction(async (tx) => {
        await tx.membership.update({ where: { id: ann.membershipId }, data: { status: "REMOVED" } });
        await recordAuditEvent(tx, {
          type: "member.removed",
          organizationId: org,
          actorId: owner.userId,
          targetId: ann.userId,
        });
      }),
    );
    const cleo = await step(orgs, at(6, 13), () => addMember(owner.actor, { name: "Cleo" }));
    await check(6, 3, 2);
    await step(orgs, at(7, 10), () => withTwoFactor(cleo, at(7, 10)));
    await check(7, 3, 3);
    // Day 8: Bob turns 2FA off with a code (an event in both of his organizations).
    await step(orgs, at(8, 16), () =>
      disableTwoFactor(
        {
          actor: { userId: bob.userId, sessionId: bob2fa.sessionId, organizationId: null },
          input: { method: "totp", code: totpAt(bob2fa.secret, { time: at(8, 16).getTime() }), password: PASSWORD },
          context: ctx,
        },
        { now: at(8, 16) },
      ),
    );
    await check(8, 3, 2);

    const want = Object.entries(expected).map(([d, [m, e]]) => `${dayKey(at(Number(d), 0))} ${m}/${e} replay`);
    // Day 9 (today on the fake clock) holds the live row.
    const asLeftByTheClock = await history(org);
    expect(asLeftByTheClock).toEqual([...want, `${dayKey(at(9, 0))} 3/2 live`]);

    // The backfill: nothing but the audit log and today's state.
    await db.adoptionSnapshot.deleteMany({ where: { organizationId: org } });
    const rebuilt = await writeAdoptionSnapshots(at(9, 1), { organizationId: org });
    expect(rebuilt.daysFinalized).toBe(9);
    expect(await history(org)).toEqual([...want, `${dayKey(at(9, 0))} 3/2 live`]);
    // Idempotent: running again writes no past day twice and changes nothing.
    expect((await writeAdoptionSnapshots(at(9, 2), { organizationId: org })).daysFinalized).toBe(0);
    expect(await history(org)).toEqual([...want, `${dayKey(at(9, 0))} 3/2 live`]);
  });
  it("counts a person with a phone, an app or both as enrolled: phones added, changed and removed, the app removed beside a phone, an admin reset of a phone", {
    timeout: 300_000,
  }, async () => {
    const owner = await createOrgWithOwner();
    const org = owner.organizationId;
    await allowUkSms(org);
    await db.organization.update({ where: { id: org }, data: { createdAt: at(0, 10) } });
    await db.auditEvent.updateMany({ where: { organizationId: org }, data: { createdAt: at(0, 10) } });
    const orgs = [org];
    const expected: Record<number, [number, number]> = {};
    const check = async (d: number, members: number, enrolled: number) => {
      expected[d] = [members, enrolled];
      const live = await currentAdoption(db, org, at(d, 23.95));
      expect([live.members, live.enrolled], `live count on day ${d}`).toEqual([members, enrolled]);
      await runPolicyClock({ now: at(d, 23.9), organizationId: org });
      await runPolicyClock({ now: at(d + 1, 0.02), organizationId: org });
    };
    const actorOf = (p: { userId: string }, sessionId: string) => ({
      userId: p.userId,
      sessionId,
      organizationId: null,
    });

    const ownerWith2fa = await step(orgs, at(0, 11), () => withTwoFactor(owner, at(0, 11)));
    await check(0, 1, 1);
    // Day 1: Dee and Eve join; Dee's only factor is a phone.
    const dee = await step(orgs, at(1, 9), () => addMember(owner.actor, { name: "Dee" }));
    const eve = await step(orgs, at(1, 9.5), () => addMember(owner.actor, { name: "Eve" }));
    const deePhone = await step(orgs, at(1, 12), () => withPhone(dee, at(1, 12)));
    await check(1, 3, 2);
    // Day 2: Eve sets up the app.
    const eveApp = await step(orgs, at(2, 10), () => withTwoFactor(eve, at(2, 10)));
    await check(2, 3, 3);
    // Day 3: Eve adds a phone beside the app; Dee changes her number (old code, then new): nobody's state changes.
    const evePhone = await step(orgs, at(3, 10), () => withPhone({ ...eve, sessionId: eveApp.sessionId }, at(3, 10)));
    const dee2 = uniqueUkMobile();
    await step(orgs, at(3, 14), async () => {
      const actor = actorOf(dee, deePhone.phoneSessionId);
      const context = phoneContext();
      await sendPhoneChangeOldCode({ actor, context }, { now: at(3, 14) });
      const old = await latestText(deePhone.phone);
      await confirmOldNumber(
        { actor, input: { code: old.code, number: dee2, country: "GB" }, context },
        { now: at(3, 14.01) },
      );
      const fresh = await latestText(dee2);
      await confirmNewNumber(
        { actor, input: { code: fresh.code, password: PASSWORD }, context },
        { now: at(3, 14.02) },
      );
    });
    expect(await db.phoneFactor.findUnique({ where: { userId: dee.userId } })).toMatchObject({ phoneE164: dee2 });
    await check(3, 3, 3);
    // Day 4: Eve removes the app; her phone keeps her enrolled.
    await step(orgs, at(4, 16), () =>
      disableTwoFactor(
        {
          actor: actorOf(eve, eveApp.sessionId),
          input: { method: "totp", code: totpAt(eveApp.secret, { time: at(4, 16).getTime() }), password: PASSWORD },
          context: ctx,
        },
        { now: at(4, 16) },
      ),
    );
    expect(await db.totpFactor.count({ where: { userId: eve.userId } })).toBe(0);
    await check(4, 3, 3);
    // Day 5: Eve removes her phone with a texted code: 2FA off.
    await step(orgs, at(5, 9), async () => {
      const actor = actorOf(eve, eveApp.sessionId);
      const context = phoneContext();
      await sendPhoneDisableCode({ actor, context }, { now: at(5, 9) });
      const { code } = await latestText(evePhone.phone);
      await removePhone({ actor, input: { method: "sms", code, password: PASSWORD }, context }, { now: at(5, 9.01) });
    });
    await check(5, 3, 2);
    // Day 6: the owner resets Dee (her phone is her only factor).
    await db.session.update({
      where: { id: ownerWith2fa.sessionId },
      data: { stepUpAt: at(6, 11), expiresAt: at(30, 0) },
    });
    await step(orgs, at(6, 11), () =>
      resetTeammateTwoFactor(
        {
          actor: { ...owner.actor, sessionId: ownerWith2fa.sessionId },
          input: { membershipId: dee.membershipId },
          context: ctx,
        },
        { now: at(6, 11) },
      ),
    );
    await check(6, 3, 1);
    // Day 7: Dee adds a phone again.
    await step(orgs, at(7, 10), () => withPhone(dee, at(7, 10)));
    await check(7, 3, 2);

    const want = Object.entries(expected).map(([d, [m, e]]) => `${dayKey(at(Number(d), 0))} ${m}/${e} replay`);
    expect(await history(org)).toEqual([...want, `${dayKey(at(8, 0))} 3/2 live`]);
    // Rebuilt from the audit log alone, every day's value is the same.
    await db.adoptionSnapshot.deleteMany({ where: { organizationId: org } });
    expect((await writeAdoptionSnapshots(at(8, 1), { organizationId: org })).daysFinalized).toBe(8);
    expect(await history(org)).toEqual([...want, `${dayKey(at(8, 0))} 3/2 live`]);
  });

  it("an organization deleted while the clock runs is skipped: the run does not fail and the others still get their rows", async () => {
    const gone = await createOrgWithOwner();
    const kept = await createOrgWithOwner();
    // The fault: the run reads these two organizations (the deleted one first) and the first is deleted right after.
    const deletingAfterRead = new Proxy(db, {
      get(target, prop) {
        if (prop !== "organization") return Reflect.get(target, prop);
        return new Proxy(target.organization, {
          get(model, method) {
            if (method !== "findMany") return Reflect.get(model, method);
            return async (args: Parameters<typeof db.organization.findMany>[0]) => {
              const ids = [gone.organizationId, kept.organizationId];
              const rows = await db.organization.findMany({ ...args, where: { id: { in: ids } } });
              await db.organization.deleteMany({ where: { id: gone.organizationId } });
              return rows.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
            };
          },
        });
      },
    });
    await expect(writeAdoptionSnapshots(new Date(), {}, deletingAfterRead)).resolves.toMatchObject({
      organizations: 2,
    });
    expect(await db.adoptionSnapshot.count({ where: { organizationId: gone.organizationId } })).toBe(0);
    expect(await db.adoptionSnapshot.count({ where: { organizationId: kept.organizationId, source: "live" } })).toBe(1);
  });
});
