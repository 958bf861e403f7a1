import type { Metadata } from "next";
import { PageHeader } from "@/components/ui";
import { ADMINS } from "@/lib/auth/actor";
import { pageOrgRole } from "@/lib/auth/guards";
import { requestTimeZone } from "@/lib/auth/request-context";
import { formatDateTime, formatDay } from "@/lib/format/dates";
import { daysLeft, formatDeadline } from "@/lib/format/deadline";
import { roleLabel, typeLabel } from "@/lib/format/labels";
import { policyOverview } from "@/lib/services/org-policy/view";
import { organizationSmsOverview } from "@/lib/services/sms/organization-sms";
import { PolicyPanel } from "./policy-panel";
import { RecoveryCodeAlertCard } from "./recovery-code-alert-card";
import { SmsCard } from "./sms-card";
import type { ImpactView, PolicyView } from "./view";

export const metadata: Metadata = { title: "Organization security" };

export default async function OrganizationSecurityPage() {
  const ctx = await pageOrgRole(ADMINS);
  const actor = ctx.actor;
  const overview = await policyOverview({ actor });
  const { policy } = overview;
  const changedBy = overview.updatedBy
    ? overview.updatedBy.id === actor.userId
      ? "you"
      : overview.updatedBy.name
    : null;

  const tz = await requestTimeZone();
  const sms = await organizationSmsOverview({ actor });
  const view: PolicyView = {
    organizationName: policy.name,
    plan: policy.plan,
    requireTwoFactor: policy.requireTwoFactor,
    mode: policy.enforcementMode,
    graceDays: policy.graceDays,
    graceDeadline: policy.graceDeadline?.toISOString() ?? null,
    graceDeadlineText: policy.graceDeadline ? formatDeadline(policy.graceDeadline, tz) : null,
    daysLeft: policy.graceDeadline ? daysLeft(policy.graceDeadline) : null,
    requiredSinceText: policy.requiredSince ? formatDay(policy.requiredSince, tz) : null,
    modeSince: policy.modeSince?.toISOString() ?? null,
    modeSinceText: policy.modeSince ? formatDateTime(policy.modeSince, tz) : null,
    exemptSso: policy.exemptSso,
    allowedMethods: policy.allowedMethods,
    policyVersion: policy.policyVersion,
    lastChangeText: policy.policyUpdatedAt
      ? `${formatDateTime(policy.policyUpdatedAt, tz)}${changedBy ? ` by ${changedBy}` : ""}`
      : null,
  };
  const impact: ImpactView = {
    totalMembers: overview.totalMembers,
    membersWithout2fa: overview.membersWithout2fa,
    ssoUsers: overview.ssoUsers,
    onlyFactor: overview.onlyFactor,
    list: overview.withoutList.map((m) => ({
      membershipId: m.membershipId,
      name: m.name,
      email: m.email,
      role: roleLabel(m.role),
      type: typeLabel(m.type),
      lastSignIn: formatDay(m.lastSignInAt, tz),
    })),
  };

  return (
    <div className="space-y-6">
      <PageHeader
        title="Organization security"
        description={`Two-factor authentication rules for everyone in ${ctx.organization.name}: employees, clients and contractors.`}
      />
      <PolicyPanel policy={view} impact={impact} actor={overview.actor} />
      <RecoveryCodeAlertCard enabled={policy.alertAdminsOnRecoveryCode} />
      <SmsCard
        view={{
          organizationName: ctx.organization.name,
          countries: sms.countries,
          dailyLimit: sms.dailyLimit,
          sentToday: sms.sentToday,
          refusedToday: sms.refusedToday,
          resetsAtText: formatDateTime(sms.resetsAt, tz),
          perNumber: sms.perNumber,
          perAccount: sms.perAccount,
          perIp: sms.perIp,
          canEdit: sms.canEdit,
        }}
      />
    </div>
  );
}
