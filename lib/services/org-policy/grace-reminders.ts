import { db, type Tx } from "../../db";
import { DAY_MS } from "../../time";
import { twoFactorSetupUrl } from "../../urls";
import { recordAuditEvent } from "../audit/audit-log";
import { enqueueMailBatch } from "../outbox/outbox";
import { type ClockFailure, type ClockScope, clockFailure, inClockScope } from "./clock-scope";
import { loadPolicy, nonCompliantMembers, type PolicyRow } from "./policy";

// The policy clock's reminder step (issue 4 §3): mails 7 days and 1 day before a grace deadline to the members still
// without 2FA, each claimed by a conditional update on the organization row so it goes out once.

/** The grace period's mail (a reminder, or "the deadline passed and you were signed out") to each member of `org`
 *  still without 2FA at `now`, queued in `tx`; returns how many. */
export async function mailMembersWithout2fa(
  tx: Tx,
  org: PolicyRow,
  now: Date,
  about: { kind: "reminder"; daysLeft: number } | { kind: "deadline-passed" },
): Promise<number> {
  const members = await tx.membership.findMany({
    where: nonCompliantMembers(org, now),
    select: { user: { select: { name: true, email: true } } },
  });
  await enqueueMailBatch(
    tx,
    members.map((m) => ({
      to: m.user.email,
      template: "org-two-factor" as const,
      data: {
        ...about,
        name: m.user.name,
        organizationName: org.name,
        mode: "GRACE" as const,
        deadline: org.graceDeadline?.toISOString(),
        setupUrl: twoFactorSetupUrl(),
      },
    })),
  );
  return members.length;
}

export async function sendReminders(
  which: 7 | 1,
  now: Date,
  scope: ClockScope,
): Promise<{ queued: number; failures: ClockFailure[] }> {
  const field = which === 7 ? "graceReminder7At" : "graceReminder1At";
  const due = await db.organization.findMany({
    where: {
      ...inClockScope(scope),
      requireTwoFactor: true,
      enforcementMode: "GRACE",
      [field]: null,
      // The 7-day reminder only while more than a day is left; after that the 1-day one replaces it.
      graceDeadline: {
        gt: new Date(now.getTime() + (which === 7 ? DAY_MS : 0)),
        lte: new Date(now.getTime() + which * DAY_MS),
      },
    },
    select: { id: true },
  });
  let queued = 0;
  const failures: ClockFailure[] = [];
  for (const { id } of due) {
    queued += await db
      .$transaction(async (tx) => {
        const { count } = await tx.organization.updateMany({
          where: { id, [field]: null, enforcementMode: "GRACE", requireTwoFactor: true },
          data: { [field]: now },
        });
        if (count !== 1) return 0; // another process took it
        if (which === 1)
          await tx.organization.updateMany({ where: { id, graceReminder7At: null }, data: { graceReminder7At: now } });
        const org = await loadPolicy(tx, id);
        if (!org.graceDeadline) return 0;
        const daysLeft = Math.max(1, Math.ceil((org.graceDeadline.getTime() - now.getTime()) / DAY_MS));
        const mailed = await mailMembersWithout2fa(tx, org, now, { kind: "reminder", daysLeft });
        await recordAuditEvent(tx, {
          type: "policy.grace_reminders_sent",
          organizationId: id,
          metadata: { daysLeft, count: mailed, deadline: org.graceDeadline.toISOString() },
        });
        return mailed;
      })
      .catch((e: unknown) => {
        failures.push(clockFailure(id, which === 7 ? "reminder-7" : "reminder-1", e));
        return 0;
      });
  }
  return { queued, failures };
}
