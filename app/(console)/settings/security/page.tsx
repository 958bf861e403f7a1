import type { Metadata } from "next";
import { PageHeader } from "@/components/ui";
import { ADMINS } from "@/lib/auth/actor";
import { pageOrgRole } from "@/lib/auth/guards";
import { requestContext, requestTimeZone } from "@/lib/auth/request-context";
import { formatDateTime, formatDay } from "@/lib/format/dates";
import { daysLeft, formatDeadline } from "@/lib/format/deadline";
import { roleLabel, typeLabel } from "@/lib/format/labels";
import { policyOverview } from "@/lib/services/org-policy/view";
import { organizationSmsOverview } from "@/lib/services/sms/organization-sms";
import { deviceTrustOverview } from "@/lib/services/trusted-access/device-settings";
import { trustedNetworksOverview } from "@/lib/services/trusted-access/networks-overview";
import { DeviceTrustCard } from "./device-trust-card";
import { PolicyPanel } from "./policy-panel";
import { RecoveryCodeAlertCard } from "./recovery-code-alert-card";
import { SmsCard } from "./sms-card";
import { TrustedNetworksCard } from "./trusted-networks-card";
import type { TrustedNetworksView } from "./trusted-networks-view";
import type { ImpactView, PolicyView } from "./view";

export const metadata: Metadata = { title: "Organization security" };

const PLAN_NAMES: Record<string, string> = { FREE: "Free", PROFESSIONAL: "Professional", ENTERPRISE: "Enterprise" };

export default async function OrganizationSecurityPage() {
  const ctx = await pageOrgRole(ADMINS);
  const actor = ctx.actor;
  const [overview, deviceTrust] = await Promise.all([policyOverview({ actor }), deviceTrustOverview({ actor })]);
  const { policy } = overview;
  const changedBy = overview.updatedBy
    ? overview.updatedBy.id === actor.userId
      ? "you"
      : overview.updatedBy.name
    : null;

  const tz = await requestTimeZone();
  const sms = await organizationSmsOverview({ actor });
  const networks = await trustedNetworksOverview({ actor, context: await requestContext() });
  const trusted: TrustedNetworksView = {
    available: networks.available,
    planName: PLAN_NAMES[networks.plan] ?? networks.plan,
    scope: networks.scope,
    networks: networks.networks.map((n) => ({
      id: n.id,
      label: n.label,
      cidr: n.cidr,
      addedText: `${n.createdBy ?? "A former member"} · ${formatDateTime(n.createdAt, tz)}`,
    })),
    currentIp: networks.currentIp,
    currentIpTrustedBy: networks.currentIpTrustedBy,
    recentSignInIps: networks.recentSignInIps,
  };
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
      <TrustedNetworksCard view={trusted} />
      <RecoveryCodeAlertCard enabled={policy.alertAdminsOnRecoveryCode} />
      <DeviceTrustCard
        rememberDeviceDays={deviceTrust.rememberDeviceDays}
        riskBasedPrompt={deviceTrust.riskBasedPrompt}
        rememberedDevices={deviceTrust.rememberedDevices}
      />
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
