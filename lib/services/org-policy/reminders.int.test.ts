// 2FA reminders against a real PostgreSQL: mail + audit, once an hour per teammate, refused for someone who already
// has 2FA, and the S25 matrix.
import { describe, expect, it } from "vitest";
import { addMember, createOrgWithOwner, ctx, PASSWORD, steppedUp } from "@/test/factories";
import { totpAt } from "../../crypto/totp";
import { db } from "../../db";
import { DomainError } from "../../errors";
import { completeSignIn } from "../sign-in/complete-sign-in";
import { passwordStep } from "../sign-in/password-step";
import { confirmTotpEnrollment } from "../two-factor/confirm-enrollment";
import { startTotpEnrollment } from "../two-factor/enrollment";
import { grantTwoFactorExemption } from "./exemptions";
import { REMINDER_INTERVAL_MS, sendTwoFactorReminder } from "./reminders";

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof DomainError ? e.code : `unexpected: ${String(e)}`),
  );
const later = (base: Date, ms: number) => new Date(base.getTime() + ms);

async function enableTwoFactor(p: { userId: string; email: string }) {
  const { challengeToken } = await passwordStep({ input: { email: p.email, password: PASSWORD }, context: ctx });
  const { sessionId } = await completeSignIn({ input: { challengeToken }, context: ctx });
  const e = await startTotpEnrollment({ actor: { userId: p.userId, sessionId, organizationId: null }, context: ctx });
  const secret = new URL(e.otpauthUri).searchParams.get("secret") ?? "";
  await confirmTotpEnrollment({
    actor: { userId: p.userId, sessionId, organizationId: null },
    input: { password: PASSWORD, code: totpAt(secret, { time: Date.now() }) },
    context: ctx,
  });
}

const reminders = (email: string) =>
  db.outboxMessage.findMany({ where: { to: email, template: "two-factor-reminder" } });

describe("2FA reminders", () => {
  it("mails a link to the setup page and audits it; at most once an hour per teammate", async () => {
    const owner = await createOrgWithOwner({ name: "Reminder Org" });
    const admin = await addMember(owner.actor, { role: "ADMIN", name: "Ada Admin" });
    const member = await addMember(owner.actor, { name: "Max Member" });
    const member2 = await addMember(owner.actor, { name: "Mia Member" });
    const t0 = new Date();
    await grantTwoFactorExemption(
      {
        actor: await steppedUp(admin, t0),
        input: { membershipId: member.membershipId, days: 3, reason: "travel" },
        context: ctx,
      },
      { now: t0 },
    );

    const r = await sendTwoFactorReminder(
      { actor: admin.actor, input: { membershipId: member.membershipId }, context: ctx },
      { now: t0 },
    );
    expect(r.sentTo).toBe(member.email);
    const [mail, ...more] = await reminders(member.email);
    expect(more).toHaveLength(0);
    expect(mail?.payload).toMatchObject({
      name: "Max Member",
      adminName: "Ada Admin",
      organizationName: "Reminder Org",
      exemptUntil: later(t0, 3 * 24 * 3600_000).toISOString(),
    });
    expect(String((mail?.payload as { setupUrl?: string } | undefined)?.setupUrl)).toMatch(
      /\/profile\/security\/two-factor\/setup$/,
    );
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { type: "2fa.reminder_sent", targetId: member.userId },
    });
    expect(audit).toMatchObject({ actorId: admin.userId, organizationId: owner.organizationId });

    // Within the hour: refused with when the next one may go, by anyone, and nothing is written.
    const refused = sendTwoFactorReminder(
      { actor: owner.actor, input: { membershipId: member.membershipId }, context: ctx },
      { now: later(t0, 59 * 60_000) },
    );
    await expect(refused).rejects.toMatchObject({ code: "REMINDER_RATE_LIMITED" });
    await expect(refused).rejects.toThrow(/send another after (\d+ \w+ \d{4}, )?\d\d:\d\d UTC/);
    expect(await reminders(member.email)).toHaveLength(1);
    expect(await db.auditEvent.count({ where: { type: "2fa.reminder_sent", targetId: member.userId } })).toBe(1);
    // Another teammate is not affected; after an hour the same one can be reminded again.
    expect(
      await codeOf(
        sendTwoFactorReminder(
          { actor: admin.actor, input: { membershipId: member2.membershipId }, context: ctx },
          { now: t0 },
        ),
      ),
    ).toBe("ok");
    expect(
      await codeOf(
        sendTwoFactorReminder(
          { actor: admin.actor, input: { membershipId: member.membershipId }, context: ctx },
          { now: later(t0, REMINDER_INTERVAL_MS) },
        ),
      ),
    ).toBe("ok");
    expect(await reminders(member.email)).toHaveLength(2);

    // Two clicks at once send one mail.
    const t2 = later(t0, 3 * REMINDER_INTERVAL_MS);
    const both = await Promise.all([
      codeOf(
        sendTwoFactorReminder(
          { actor: admin.actor, input: { membershipId: member2.membershipId }, context: ctx },
          { now: t2 },
        ),
      ),
      codeOf(
        sendTwoFactorReminder(
          { actor: owner.actor, input: { membershipId: member2.membershipId }, context: ctx },
          { now: t2 },
        ),
      ),
    ]);
    expect(both.sort()).toEqual(["REMINDER_RATE_LIMITED", "ok"]);
    expect(await reminders(member2.email)).toHaveLength(2);
  });

  it("refuses a teammate who already has 2FA, members, the owner, yourself and other organizations", async () => {
    const owner = await createOrgWithOwner();
    const admin = await addMember(owner.actor, { role: "ADMIN" });
    const member = await addMember(owner.actor);
    const enrolled = await addMember(owner.actor);
    await enableTwoFactor(enrolled);
    const other = await createOrgWithOwner();
    const otherAdmin = await addMember(other.actor, { role: "ADMIN" });
    const ownerMembership = await db.membership.findFirstOrThrow({
      where: { organizationId: owner.organizationId, role: "OWNER" },
    });
    const send = (actor: { userId: string; organizationId: string; sessionId: null }, membershipId: string) =>
      codeOf(sendTwoFactorReminder({ actor, input: { membershipId }, context: ctx }));
    expect({
      enrolled: await send(admin.actor, enrolled.membershipId),
      memberActs: await send(member.actor, admin.membershipId),
      owner: await send(admin.actor, ownerMembership.id),
      self: await send(admin.actor, admin.membershipId),
      otherOrg: await send(otherAdmin.actor, member.membershipId),
    }).toEqual({
      enrolled: "TEAMMATE_HAS_TWO_FACTOR",
      memberActs: "FORBIDDEN",
      owner: "OWNER_PROTECTED",
      self: "NOT_ON_YOURSELF",
      otherOrg: "NOT_FOUND",
    });
    for (const p of [enrolled, member, admin]) expect(await reminders(p.email)).toHaveLength(0);
    expect(
      await db.membership.count({
        where: { organizationId: owner.organizationId, twoFactorReminderAt: { not: null } },
      }),
    ).toBe(0);
  });
});
