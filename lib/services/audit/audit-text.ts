import { auditEventLabel } from "./audit-labels";

// Turns an audit row into a sentence a person can read ("Ana Pereira changed Tom Li's role to Administrator").

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

const forgetText: Record<string, string> = {
  forgotten: "{who} forgot a remembered device",
  forgotten_all: "{who} forgot all their remembered devices",
  admin_reset: "{whom}'s remembered devices were forgotten: two-factor authentication was reset",
  two_factor_disabled: "{whom}'s remembered devices were forgotten: two-factor authentication was turned off",
  factor_changed: "{whom}'s remembered devices were forgotten: the second factor changed",
  password_changed: "{whom}'s remembered devices were forgotten: the password changed",
  password_reset: "{whom}'s remembered devices were forgotten: the password was reset",
};
const daysText = (d: unknown) => (Number(d) > 0 ? `${String(d)} day${Number(d) === 1 ? "" : "s"}` : "off");

const planNames: Record<string, string> = { FREE: "Free", PROFESSIONAL: "Professional", ENTERPRISE: "Enterprise" };
const roleNames: Record<string, string> = { OWNER: "Owner", ADMIN: "Administrator", MEMBER: "Member" };

/** Why a sign-in skipped the second step, in words (the audit row's metadata: reason and label). */
function skipReasonText(m: Record<string, unknown>): string {
  if (m.reason === "trusted-network") return `from the trusted network ${String(m.label ?? m.detail ?? "")}`.trimEnd();
  if (m.reason === "remembered-device") return "from a remembered device";
  if (m.reason === "familiar") return "a familiar sign-in (known network and country)";
  return String(m.reason ?? "second step skipped");
}

export interface AuditRowLike {
  type: string;
  metadata: unknown;
}

const phoneSteps: Record<string, string> = {
  enrol: "adding a phone",
  "change-old": "a number change, current number",
  "change-new": "a number change, new number",
  disable: "turning SMS off",
};

export function describeAuditEvent(row: AuditRowLike, actor: string | null, target: string | null): string {
  const m = (row.metadata ?? {}) as Record<string, unknown>;
  const who = actor ?? "Someone";
  const whom = target ?? "an unknown account";
  switch (row.type) {
    case "signin.succeeded":
      return `${who} signed in`;
    case "device.remembered":
      return `${who} chose to remember a device for ${String(m.days ?? "?")} days`;
    case "device.forgotten":
      return `${forgetText[String(m.reason)] ?? `${whom}'s remembered devices were forgotten`} (${String(m.count ?? 0)} forgotten)`
        .replace("{who}", who)
        .replace("{whom}", whom);
    case "policy.remember_device_changed":
      return `${who} changed how long devices may be remembered from ${daysText(m.from)} to ${daysText(m.to)}${m.forgotten ? `; ${String(m.forgotten)} remembered devices forgotten` : ""}`;
    case "policy.risk_prompt_changed":
      return m.enabled
        ? `${who} turned on the risk-based prompt: a code is asked only when a sign-in looks unusual`
        : `${who} turned off the risk-based prompt: a code is asked at every sign-in`;
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
    case "session.revoked_by_admin":
      return `${who} signed ${whom} out of every session (${String(m.sessionsRevoked ?? 0)} signed out)`;
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
    case "2fa.phone_code_sent":
      return `${who} asked for a code by text message to the number ending in ${String(m.phoneLast4 ?? "····")} (${phoneSteps[String(m.purpose)] ?? "a phone change"})`;
    case "2fa.phone_added":
      return `${who} added a phone for SMS codes (number ending in ${String(m.phoneLast4 ?? "····")})`;
    case "2fa.phone_changed":
      return `${who} changed the phone for SMS codes from the number ending in ${String(m.previousLast4 ?? "····")} to the one ending in ${String(m.phoneLast4 ?? "····")}`;
    case "2fa.phone_removed":
      return `${who} turned off SMS codes (number ending in ${String(m.phoneLast4 ?? "····")})`;
    case "2fa.app_removed":
      return `${who} removed their authenticator app and kept SMS codes`;
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
      return m.sameClient
        ? `${whom} submitted an authenticator code a second time from the same browser (no alert sent)`
        : `A used authenticator code was replayed for ${whom}`;
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
    case "policy.recovery_code_alert_changed":
      return m.enabled
        ? `${who} turned on the administrators' alert when a member signs in with a recovery code`
        : `${who} turned off the administrators' alert when a member signs in with a recovery code`;
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
    case "password.changed":
      return `${who} changed their password${typeof m.otherSessionsRevoked === "number" ? ` (${m.otherSessionsRevoked} other ${m.otherSessionsRevoked === 1 ? "session" : "sessions"} signed out)` : ""}`;
    case "password.reset_requested":
      if (m.reason === "unknown-email") return "A password reset link was requested for an unknown email address";
      if (m.reason === "sso")
        return `A password reset was requested for ${whom}, who signs in with single sign-on: no link was sent`;
      return `A password reset link was emailed to ${whom}`;
    case "sms.send_refused": {
      const why: Record<string, string> = {
        country: `texts to ${String(m.country)} are not allowed`,
        resend: "a code had just been sent",
        number: "the daily limit of the phone number was reached",
        account: "the daily limit of the account was reached",
        ip: "the daily limit of the network (IP address) was reached",
        organization: "the organization's daily limit was reached",
      };
      return `A text to ${whom}'s phone ending ${String(m.phoneLast4 ?? "????")} was refused: ${why[String(m.reason)] ?? String(m.reason)}`;
    }
    case "policy.sms_countries_changed": {
      const list = (m.countries as string[] | undefined) ?? [];
      return list.length
        ? `${who} allowed text messages to ${list.join(", ")}`
        : `${who} turned off text messages to every country`;
    }
    case "password.reset_completed":
      return `${who} set a new password with an emailed reset link and was signed out everywhere`;
    case "trusted_network.added":
      return `${who} added the trusted network ${String(m.label ?? "")} (${String(m.cidr ?? "")}): sign-ins from it skip the second step`;
    case "trusted_network.removed":
      return `${who} removed the trusted network ${String(m.label ?? "")} (${String(m.cidr ?? "")})`;
    case "trusted_network.scope_changed":
      return m.scope === "MEMBERS_ONLY"
        ? `${who} limited trusted networks to members: owners and administrators always enter a code`
        : `${who} let trusted networks apply to everyone, owners and administrators included`;
    case "signin.second_step_skipped":
      return `${who} signed in without a code: ${skipReasonText(m)} (a code is asked before security or admin changes)`;
    default:
      // A type without a sentence yet: still readable, and it names the type so nothing is hidden.
      return `${who}: ${auditEventLabel(row.type)}${target ? ` (affecting ${target})` : ""}`;
  }
}
