import type { AuditEventType } from "./audit-log";

// Turns an audit row into a sentence a person can read ("Ana Pereira changed Tom Li's role to Administrator").

/** A short name for every event type (the audit log's type filter and CSV). The compiler insists on an entry for each
 *  AuditEventType; a sentence in describeAuditEvent below is expected too (audit-text.test.ts checks it). */
export const auditEventLabels: Record<AuditEventType, string> = {
  "signin.succeeded": "Signed in",
  "signin.failed": "Sign-in failed",
  "signin.locked": "Sign-in locked",
  signout: "Signed out",
  "session.revoked": "Session signed out",
  "account.created": "Account created",
  "organization.created": "Organization created",
  "invitation.sent": "Invitation sent",
  "invitation.accepted": "Invitation accepted",
  "invitation.revoked": "Invitation revoked",
  "member.role_changed": "Role changed",
  "member.removed": "Member removed",
  "2fa.enrollment_started": "2FA setup started",
  "2fa.enabled": "2FA turned on",
  "2fa.reenrolled": "2FA moved to a new app",
  "2fa.disabled": "2FA turned off",
  "2fa.recovery_codes_regenerated": "Recovery codes regenerated",
  "2fa.recovery_code_used": "Recovery code used",
  "2fa.failed": "Wrong 2FA code",
  "2fa.replay": "2FA code replayed",
  "2fa.locked": "2FA locked",
  "2fa.suggestion_dismissed": "2FA suggestion dismissed",
  "2fa.admin_reset": "2FA reset by an admin",
  "2fa.recovery_codes_issued": "Recovery codes issued by an admin",
  "2fa.exemption_granted": "2FA exemption granted",
  "2fa.exemption_revoked": "2FA exemption removed",
  "2fa.reminder_sent": "2FA reminder sent",
  "2fa.reset_link_used": "2FA reset link used",
  "ownership.transferred": "Ownership transferred",
  "sso.user_provisioned": "SSO account created",
  "sso.signin_refused": "SSO sign-in refused",
  "policy.2fa_required": "2FA required for everyone",
  "policy.2fa_not_required": "2FA requirement turned off",
  "policy.mode_changed": "2FA enforcement mode changed",
  "policy.grace_changed": "2FA grace period changed",
  "policy.sso_exemption_changed": "SSO exemption changed",
  "policy.methods_changed": "Allowed 2FA methods changed",
  "policy.grace_reminders_sent": "2FA deadline reminders sent",
  "policy.grace_expired": "2FA grace period ended",
  "2fa.email_code_sent": "Email code sent for 2FA setup",
  // Lockouts (issue 9 item 3)
  "account.unlocked": "Sign-in unlocked by an admin",
  // Plans (issue 15)
  "organization.upgrade_requested": "Upgrade requested",
  "organization.plan_changed": "Plan changed",
  // QA's test mailbox on a test deployment (issue 16)
  "test_mailbox.read": "Test mailbox read (QA)",
};

const modeText: Record<string, string> = {
  NOW: "signing out members without 2FA now",
  NEXT_SIGN_IN: "asking members without 2FA at their next sign-in",
  GRACE: "with a grace period",
};
const graceText = (m: Record<string, unknown>) =>
  m.graceDays ? ` of ${String(m.graceDays)} days (deadline ${String(m.deadline ?? "").slice(0, 10)})` : "";
const methodNames: Record<string, string> = { TOTP: "authenticator app", SMS: "SMS" };

const ssoRefusals: Record<string, string> = {
  SSO_PASSWORD_ACCOUNT: "the account signs in with a password",
  SSO_NOT_MEMBER: "not an active member of the organization",
  SSO_EMAIL_UNVERIFIED: "the identity provider has not verified the email address",
};

export function isAuditEventType(type: string): type is AuditEventType {
  return Object.hasOwn(auditEventLabels, type);
}

/** The label of a type, or a readable form of an unknown one ("2fa.exemption_granted" → "2fa exemption granted"). */
export function auditEventLabel(type: string): string {
  return isAuditEventType(type) ? auditEventLabels[type] : type.replace(/[._]+/g, " ");
}

const planNames: Record<string, string> = { FREE: "Free", PROFESSIONAL: "Professional", ENTERPRISE: "Enterprise" };
const roleNames: Record<string, string> = { OWNER: "Owner", ADMIN: "Administrator", MEMBER: "Member" };

export interface AuditRowLike {
  type: string;
  metadata: unknown;
}

export function describeAuditEvent(row: AuditRowLike, actor: string | null, target: string | null): string {
  const m = (row.metadata ?? {}) as Record<string, unknown>;
  const who = actor ?? "Someone";
  const whom = target ?? "an unknown account";
  switch (row.type) {
    case "signin.succeeded":
      return `${who} signed in`;
    case "signin.failed":
      return m.reason === "unknown-email"
        ? "Sign-in failed for an unknown email address"
        : `Sign-in failed for ${whom} (wrong password)`;
    case "signin.locked":
      return m.scope === "network"
        ? `Password sign-in for ${whom} was paused from one network after repeated wrong passwords`
        : `${whom} was locked out after repeated failed sign-ins`;
    case "signout":
      return `${who} signed out`;
    case "session.revoked":
      if (m.byAnotherOrganization)
        return `${whom} was signed out of every session: another organization they belong to requires two-factor authentication`;
      return `${who} signed out a session`;
    case "account.created":
      return `${who} created an account`;
    case "organization.created":
      return `${who} created the organization ${String(m.name ?? "")}`.trim();
    case "invitation.sent":
      return `${who} invited ${String(m.email ?? "someone")} as ${roleNames[String(m.role)] ?? "a member"}`;
    case "invitation.accepted":
      return `${who} accepted an invitation and joined`;
    case "invitation.revoked":
      return `${who} revoked an invitation`;
    case "member.role_changed":
      return `${who} changed ${whom}'s role from ${roleNames[String(m.from)] ?? m.from} to ${roleNames[String(m.to)] ?? m.to}`;
    case "organization.upgrade_requested":
      return `${who} requested an upgrade to the ${planNames[String(m.plan)] ?? "next"} plan (${String(m.seats ?? "?")} seats)`;
    case "organization.plan_changed":
      return `The plan changed from ${planNames[String(m.from)] ?? m.from} to ${planNames[String(m.to)] ?? m.to}${m.by === "operator" ? " (by Twofold)" : ""}`;
    case "test_mailbox.read":
      return `QA's test mailbox was read for ${String(m.to ?? "an address")} (${String(m.kind ?? "any")} mail)`;
    case "member.removed":
      return `${who} removed ${whom} from the organization`;
    case "2fa.enrollment_started":
      return `${who} started setting up an authenticator app`;
    case "2fa.enabled":
      return `${who} turned on two-factor authentication`;
    case "2fa.reenrolled":
      return `${who} moved two-factor authentication to a new authenticator app`;
    case "2fa.disabled":
      return `${who} turned off two-factor authentication`;
    case "2fa.recovery_codes_regenerated":
      return `${who} generated new recovery codes`;
    case "2fa.recovery_code_used":
      return m.purpose === "sign-in"
        ? `${who} signed in with a recovery code (${String(m.remaining ?? "?")} left)`
        : `${who} used a recovery code (${String(m.remaining ?? "?")} left)`;
    case "2fa.failed":
      return m.reason === "replay"
        ? `${who} entered a code that was already used`
        : `${who} entered a wrong two-factor code (${String(m.failures ?? "?")} in a row)`;
    case "2fa.replay":
      return `A used authenticator code was replayed for ${whom}`;
    case "2fa.locked":
      return `Two-factor sign-in for ${whom} was locked after ${String(m.failures ?? "repeated")} wrong codes`;
    case "2fa.suggestion_dismissed":
      return `${who} dismissed the two-factor suggestion`;
    case "2fa.admin_reset":
      return `${who} reset ${whom}'s two-factor authentication and signed them out everywhere`;
    case "2fa.recovery_codes_issued":
      return `${who} emailed new recovery codes to ${whom}`;
    case "2fa.exemption_granted":
      return `${who} exempted ${whom} from two-factor authentication for ${String(m.days ?? "?")} days${m.reason ? ` (reason: ${String(m.reason)})` : ""}`;
    case "2fa.exemption_revoked":
      return `${who} removed ${whom}'s exemption from two-factor authentication`;
    case "2fa.reminder_sent":
      return `${who} reminded ${whom} to set up two-factor authentication`;
    case "2fa.reset_link_used":
      return `${who} used the emailed reset link to set up two-factor authentication again`;
    case "ownership.transferred":
      return `${who} transferred ownership of the organization to ${whom}`;
    case "sso.user_provisioned":
      return `${whom} signed in through single sign-on for the first time and joined as a member`;
    case "sso.signin_refused":
      return `Single sign-on was refused for ${target ?? String(m.email ?? "an unknown account")} (${ssoRefusals[String(m.reason)] ?? String(m.reason ?? "no reason given")})`;
    case "policy.2fa_required":
      return `${who} required two-factor authentication for everyone, ${modeText[String(m.mode)] ?? String(m.mode)}${graceText(m)}; ${String(m.membersWithout2fa ?? 0)} members had not set it up, ${String(m.sessionsRevoked ?? 0)} sessions signed out`;
    case "policy.2fa_not_required":
      return `${who} stopped requiring two-factor authentication`;
    case "policy.mode_changed":
      return `${who} changed 2FA enforcement from ${modeText[String(m.from)] ?? String(m.from)} to ${modeText[String(m.to)] ?? String(m.to)}${graceText(m)}; ${String(m.sessionsRevoked ?? 0)} sessions signed out`;
    case "policy.grace_changed":
      return `${who} changed the 2FA grace period from ${String(m.fromDays)} to ${String(m.graceDays)} days (deadline ${String(m.deadline ?? "").slice(0, 10)}); ${String(m.sessionsRevoked ?? 0)} sessions signed out`;
    case "policy.sso_exemption_changed":
      return m.exemptSso
        ? `${who} exempted SSO users from the 2FA requirement`
        : `${who} stopped exempting SSO users from the 2FA requirement; ${String(m.sessionsRevoked ?? 0)} sessions signed out`;
    case "policy.methods_changed":
      return `${who} set the allowed 2FA methods to ${((m.allowedMethods as string[] | undefined) ?? []).map((x) => methodNames[x] ?? x).join(" and ")}`;
    case "policy.grace_reminders_sent":
      return `Twofold reminded ${String(m.count ?? 0)} members without 2FA that the deadline is in ${String(m.daysLeft)} day${m.daysLeft === 1 ? "" : "s"}`;
    case "policy.grace_expired":
      return `The 2FA grace period ended: ${String(m.membersWithout2fa ?? 0)} members without 2FA must set it up; ${String(m.sessionsRevoked ?? 0)} sessions signed out`;
    case "2fa.email_code_sent":
      return `${who} asked for an email code to set up two-factor authentication`;
    case "account.unlocked": {
      const factors = Array.isArray(m.factors) ? m.factors : [];
      const what = factors.map((f) => (f === "password" ? "password sign-in" : "two-factor sign-in")).join(" and ");
      return `${who} unlocked ${what || "sign-in"} for ${whom}${m.byOrganization ? ` (from ${String(m.byOrganization)})` : ""}`;
    }
    default:
      // A type without a sentence yet: still readable, and it names the type so nothing is hidden.
      return `${who}: ${auditEventLabel(row.type)}${target ? ` (affecting ${target})` : ""}`;
  }
}
