import { db } from "../../db";
import { recordAuditEvent } from "../audit/audit-log";
import { writeAdoptionSnapshots } from "../dashboard/history";
import { type ClockFailure, type ClockScope, clockFailure, inClockScope } from "./clock-scope";
import { mailMembersWithout2fa, sendReminders } from "./grace-reminders";
import { loadPolicy } from "./policy";
import { revokeNonCompliantSessions } from "./revoke-sessions";

// Time-driven parts of a grace period (issue 4 §3): reminder mails 7 days and 1 day before the deadline, and at the
// deadline the sessions of members still without 2FA are revoked (from then on the gate applies to them at sign-in;
// the gate itself compares the deadline with the clock on every request, so it never waits for this job).
// Each step is claimed by a conditional update on the organization row, so several server processes running this
// clock send each reminder once. Safe to run as often as wanted.

export interface ClockReport {
  remindersQueued: number;
  organizationsExpired: number;
  sessionsRevoked: number;
  /** Organizations whose step failed in this run (the others went on); each is tried again by the next run. */
  failures: ClockFailure[];
}

async function expireGrace(
  now: Date,
  scope: ClockScope,
): Promise<{ organizations: number; sessions: number; failures: ClockFailure[] }> {
  const due = await db.organization.findMany({
    where: {
      ...inClockScope(scope),
      requireTwoFactor: true,
      enforcementMode: "GRACE",
      graceExpiredAt: null,
      graceDeadline: { lte: now },
    },
    select: { id: true },
  });
  let organizations = 0;
  let sessions = 0;
  const failures: ClockFailure[] = [];
  for (const { id } of due) {
    let expired = false;
    sessions += await db
      .$transaction(async (tx) => {
        const { count } = await tx.organization.updateMany({
          where: { id, graceExpiredAt: null, enforcementMode: "GRACE", requireTwoFactor: true },
          data: { graceExpiredAt: now },
        });
        if (count !== 1) return 0;
        expired = true;
        const org = await loadPolicy(tx, id);
        const revoked = await revokeNonCompliantSessions(tx, org, now, "two_factor_deadline_passed");
        // Each member still without 2FA is told they were signed out and what comes next (issue 10 item 4).
        const without = await mailMembersWithout2fa(tx, org, now, { kind: "deadline-passed" });
        await recordAuditEvent(tx, {
          type: "policy.grace_expired",
          organizationId: id,
          metadata: {
            deadline: org.graceDeadline?.toISOString() ?? null,
            membersWithout2fa: without,
            sessionsRevoked: revoked,
          },
        });
        return revoked;
      })
      .catch((e: unknown) => {
        expired = false; // rolled back: the next run expires it
        failures.push(clockFailure(id, "grace-expiry", e));
        return 0;
      });
    if (expired) organizations++;
  }
  return { organizations, sessions, failures };
}

/** One pass of the policy clock (over every organization, or one: `organizationId`). A background job: it takes
 *  options, not an actor, and runs one transaction per organization and step (never a caller's). */
export async function runPolicyClock({
  now = new Date(),
  organizationId,
}: {
  now?: Date;
  /** One organization, or several (by default every one). */
  organizationId?: string | string[];
} = {}): Promise<ClockReport> {
  const scope: ClockScope = { organizationId };
  const expired = await expireGrace(now, scope);
  const oneDay = await sendReminders(1, now, scope);
  const sevenDays = await sendReminders(7, now, scope);
  // The dashboard's daily adoption snapshots (issue 15): today's figures, and yesterday finalised at a day's first run.
  const snapshots = await writeAdoptionSnapshots(now, scope);
  return {
    remindersQueued: oneDay.queued + sevenDays.queued,
    organizationsExpired: expired.organizations,
    sessionsRevoked: expired.sessions,
    failures: [...expired.failures, ...oneDay.failures, ...sevenDays.failures, ...snapshots.failures],
  };
}

const globalForClock = globalThis as unknown as { twofoldPolicyClock?: NodeJS.Timeout };

/** Runs the clock every minute in this process (started next to the outbox worker). */
export function startPolicyClock(intervalMs = 60_000): void {
  if (globalForClock.twofoldPolicyClock) return;
  const run = () =>
    runPolicyClock().then(
      (r) => {
        if (r.remindersQueued || r.organizationsExpired)
          console.log(
            `[policy] reminders ${r.remindersQueued}, grace periods ended ${r.organizationsExpired}, sessions revoked ${r.sessionsRevoked}`,
          );
        for (const f of r.failures)
          console.error(
            `[policy] organization ${f.organizationId}: ${f.step} failed (tried again next run): ${f.error}`,
          );
      },
      (e: unknown) => console.error(`[policy] clock run failed: ${e instanceof Error ? e.message : String(e)}`),
    );
  void run();
  globalForClock.twofoldPolicyClock = setInterval(run, intervalMs);
  globalForClock.twofoldPolicyClock.unref();
}
