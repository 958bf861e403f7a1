import type { AuditEventType } from "./audit-log";

// The short name of every audit event type (the audit log's type filter and CSV); sentences are audit-text.ts.

/** A short name for every event type (the audit log's type filter and CSV). The compiler insists on an entry for each
 *  AuditEventType; a sentence in describeAuditEvent (audit-text.ts) is expected too (audit-text.test.ts checks it). */
export const auditEventLabels: Record<AuditEventType, string> = {
  "signin.succeeded": "Signed in",
  "signin.failed": "Sign-in failed",
  "signin.locked": "Sign-in locked",
  signout: "Signed out",
  "session.revoked": "Session signed out",
  "session.revoked_by_admin": "Signed out everywhere by an admin",
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
  "2fa.phone_code_sent": "Code texted for a phone change",
  "2fa.phone_added": "Phone added for SMS codes",
  "2fa.phone_changed": "Phone number changed",
  "2fa.phone_removed": "SMS codes turned off",
  "2fa.app_removed": "Authenticator app removed (phone kept)",
  "ownership.transferred": "Ownership transferred",
  "sso.user_provisioned": "SSO account created",
  "sso.signin_refused": "SSO sign-in refused",
  "policy.2fa_required": "2FA required for everyone",
  "policy.2fa_not_required": "2FA requirement turned off",
  "policy.mode_changed": "2FA enforcement mode changed",
  "policy.grace_changed": "2FA grace period changed",
  "policy.sso_exemption_changed": "SSO exemption changed",
  "policy.methods_changed": "Allowed 2FA methods changed",
  "policy.recovery_code_alert_changed": "Recovery code alert changed",
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
  // Passwords (issue 10 items 1 and 2)
  "password.changed": "Password changed",
  "password.reset_requested": "Password reset requested",
  "password.reset_completed": "Password reset by email link",
  // Trusted access (issue 11)
  "device.remembered": "Device remembered",
  "device.forgotten": "Remembered devices forgotten",
  "policy.remember_device_changed": "Remember-device days changed",
  "policy.risk_prompt_changed": "Risk-based prompt changed",
  // SMS (issue 12)
  "sms.send_refused": "Text message refused (limit or country)",
  "policy.sms_countries_changed": "SMS countries changed",
  "trusted_network.added": "Trusted network added",
  "trusted_network.removed": "Trusted network removed",
  "trusted_network.scope_changed": "Trusted networks: who they apply to changed",
  "signin.second_step_skipped": "Signed in without a code (second step skipped)",
};

export function isAuditEventType(type: string): type is AuditEventType {
  return Object.hasOwn(auditEventLabels, type);
}

/** The label of a type, or a readable form of an unknown one ("2fa.exemption_granted" → "2fa exemption granted"). */
export function auditEventLabel(type: string): string {
  return isAuditEventType(type) ? auditEventLabels[type] : type.replace(/[._]+/g, " ");
}
