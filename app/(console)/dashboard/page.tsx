import type { Metadata } from "next";
import { PageHeader } from "@/components/ui";
import { pageOrgRole } from "@/lib/auth/guards";
import type { AtRisk } from "@/lib/services/dashboard/at-risk";
import { memberOverview } from "@/lib/services/dashboard/member-overview";
import { dashboardOverview } from "@/lib/services/dashboard/overview";
import { parseHistoryRange } from "@/lib/validation/dashboard";
import { changeRoleAction } from "../actions";
import type { RowActionTarget } from "../settings/users/_components/row-action-target";
import { TeammateActionsHost } from "../settings/users/_components/teammate-actions";
import { teammateRowActions } from "../settings/users/teammate-row-actions";
import { AdoptionNow } from "./_components/adoption-now";
import { AtRiskSection } from "./_components/at-risk-section";
import { planName } from "./_components/format";
import { HistorySection } from "./_components/history-section";
import { MemberDashboard } from "./_components/member-dashboard";
import { RecentEvents } from "./_components/recent-events";
import { UpgradeCard } from "./_components/upgrade-card";
import { requestUpgradeAction } from "./actions";

export const metadata: Metadata = { title: "Dashboard" };

/** The row actions' data, once for every person on the at-risk lists (not the owner, not yourself). */
function rowTargets(atRisk: AtRisk, selfId: string): RowActionTarget[] {
  const people = new Map<string, RowActionTarget>();
  for (const list of [atRisk.deadline, atRisk.fewRecoveryCodes, atRisk.exemptionsEnding, atRisk.recoverySignIns]) {
    for (const p of list?.people ?? []) {
      if (p.role === "OWNER" || p.userId === selfId) continue;
      people.set(p.membershipId, {
        membershipId: p.membershipId,
        name: p.name,
        email: p.email,
        hasTwoFactor: p.hasTwoFactor,
        exemptUntil: p.exemptUntil ? p.exemptUntil.toISOString() : null,
        lock: null,
      });
    }
  }
  return [...people.values()];
}

type SearchParams = Record<string, string | string[] | undefined>;

export default async function DashboardPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const ctx = await pageOrgRole("any");
  const actor = ctx.actor;
  const header = (
    <PageHeader
      title={`Welcome, ${ctx.user.name.split(" ")[0]}`}
      description={`${ctx.organization.name} · ${planName[ctx.organization.plan as keyof typeof planName] ?? ctx.organization.plan} plan`}
    />
  );
  if (ctx.membership.role === "MEMBER") {
    // Members see their own security, never the organization's figures (issue 15 §5).
    const overview = await memberOverview({ actor });
    return (
      <div className="space-y-8">
        {header}
        <MemberDashboard overview={overview} />
      </div>
    );
  }
  const range = parseHistoryRange((await searchParams).range);
  const o = await dashboardOverview({ actor, input: { range } });
  return (
    <div className="space-y-8">
      {header}
      <AdoptionNow figures={o.adoption} />
      <HistorySection history={o.history} canShowSinceRequired={o.requiredSince !== null} />
      <TeammateActionsHost
        targets={rowTargets(o.atRisk, ctx.user.id)}
        actions={teammateRowActions}
        changeRole={changeRoleAction}
      >
        <AtRiskSection atRisk={o.atRisk} currentUserId={ctx.user.id} />
      </TeammateActionsHost>
      <div className="grid gap-4 lg:grid-cols-2">
        <RecentEvents events={o.recentEvents} />
        {o.organization.plan === "FREE" ? (
          <UpgradeCard
            plan={planName.FREE}
            members={o.adoption.members}
            submit={requestUpgradeAction}
            pending={
              o.upgrade
                ? {
                    plan: planName[o.upgrade.plan],
                    seats: o.upgrade.seats,
                    requestedAt: o.upgrade.requestedAt.toISOString(),
                    requestedBy: o.upgrade.requestedBy,
                  }
                : null
            }
          />
        ) : null}
      </div>
    </div>
  );
}
