import type { Prisma, Tx } from "../../db";

export type AuditEventType =
  | "signin.succeeded"
  | "signin.failed"
  | "signin.locked"
  | "signout"
  | "session.revoked"
  | "session.revoked_by_admin"
  | "account.created"
  | "organization.created"
  | "invitation.sent"
  | "invitation.accepted"
  | "invitation.revoked"
  | "member.role_changed"
  | "member.removed"
  | "2fa.enrollment_started"
  | "2fa.enabled"
  | "2fa.reenrolled"
  | "2fa.disabled"
  | "2fa.recovery_codes_regenerated"
  | "2fa.recovery_code_used"
  | "2fa.failed"
  | "2fa.replay"
  | "2fa.locked"
  | "2fa.suggestion_dismissed"
  | "2fa.admin_reset"
  | "2fa.recovery_codes_issued"
  | "2fa.exemption_granted"
  | "2fa.exemption_revoked"
  | "2fa.reminder_sent"
  | "2fa.reset_link_used"
  // A phone for SMS codes (issue 12: lib/services/two-factor/phone-*.ts)
  | "2fa.phone_code_sent"
  | "2fa.phone_added"
  | "2fa.phone_changed"
  | "2fa.phone_removed"
  | "2fa.app_removed"
  | "ownership.transferred"
  | "sso.user_provisioned"
  | "sso.signin_refused"
  | "policy.2fa_required"
  | "policy.2fa_not_required"
  | "policy.mode_changed"
  | "policy.grace_changed"
  | "policy.sso_exemption_changed"
  | "policy.methods_changed"
  | "policy.recovery_code_alert_changed"
  | "policy.grace_reminders_sent"
  | "policy.grace_expired"
  | "2fa.email_code_sent"
  // Lockouts (issue 9 item 3)
  | "account.unlocked"
  // Plans (issue 15)
  | "organization.upgrade_requested"
  | "organization.plan_changed"
  | "test_mailbox.read"
  // Passwords (issue 10 items 1 and 2)
  | "password.changed"
  | "password.reset_requested"
  | "password.reset_completed"
  // Trusted access (issue 11): remembered devices, the risk-based prompt, skipped second steps
  | "signin.second_step_skipped"
  | "device.remembered"
  | "device.forgotten"
  | "policy.remember_device_changed"
  | "policy.risk_prompt_changed"
  // SMS (issue 12: lib/services/sms/)
  | "sms.send_refused"
  | "policy.sms_countries_changed"
  // Trusted networks (issue 11 item 1)
  | "trusted_network.added"
  | "trusted_network.removed"
  | "trusted_network.scope_changed";

/** Who did it and from where: passed from the request down to every mutating service. */
export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
  /** The browser's IANA time zone (only to word times in answers to this request; never stored). UTC when absent. */
  timeZone?: string;
}

export interface AuditInput {
  type: AuditEventType;
  organizationId?: string | null;
  actorId?: string | null;
  targetId?: string | null;
  metadata?: Prisma.InputJsonObject;
  context?: RequestContext | null;
}

/** The one way to write an audit row. Call it with the same `tx` as the change it records. */
export async function recordAuditEvent(tx: Tx, input: AuditInput): Promise<void> {
  await tx.auditEvent.create({
    data: {
      type: input.type,
      organizationId: input.organizationId ?? null,
      actorId: input.actorId ?? null,
      targetId: input.targetId ?? null,
      metadata: input.metadata ?? {},
      ip: input.context?.ip?.slice(0, 64) ?? null,
      userAgent: input.context?.userAgent?.slice(0, 512) ?? null,
    },
  });
}
