import Link from "next/link";
import { Card, CardHeader } from "@/components/ui";
import type { AtRisk, AtRiskList } from "@/lib/services/dashboard/at-risk";
import { RowActionsCell } from "../../settings/users/_components/row-actions-cell";
import { count, usersHref } from "./format";

// At risk (issue 15 §3): four short lists. Each person links to their row in the Users table, and carries the same
// row actions menu as there (remind, issue codes, extend an exemption…), driven by the Users page's server actions
// that the dashboard page hands down to the one TeammateActionsHost around the lists.

const link = "font-medium text-brand-700 underline-offset-4 hover:underline";

function RiskList(props: {
  title: string;
  help: string;
  list: AtRiskList;
  all: { href: string; label: string };
  empty: string;
  currentUserId: string;
  testId: string;
}) {
  const { list } = props;
  return (
    <Card data-testid={props.testId}>
      <CardHeader
        title={`${props.title} (${count(list.total)})`}
        description={props.help}
        actions={
          list.total > 0 ? (
            <Link href={props.all.href} className={`${link} text-sm`}>
              {props.all.label}
            </Link>
          ) : null
        }
      />
      {list.people.length === 0 ? (
        <p className="px-6 py-4 text-sm text-slate-600">{props.empty}</p>
      ) : (
        <ul className="divide-y divide-slate-200">
          {list.people.map((p) => (
            <li key={p.membershipId} className="flex flex-wrap items-center justify-between gap-3 px-6 py-3">
              <div className="min-w-0">
                <Link href={usersHref({ q: p.email })} className={link}>
                  {p.name}
                </Link>
                <p className="truncate text-xs text-slate-600">
                  {p.email} · {p.detail}
                </p>
              </div>
              <RowActionsCell
                membershipId={p.membershipId}
                name={p.name}
                role={p.role}
                isSelf={p.userId === props.currentUserId}
                lock={null}
              />
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

export function AtRiskSection({ atRisk, currentUserId }: { atRisk: AtRisk; currentUserId: string }) {
  return (
    <section aria-labelledby="at-risk-heading" className="space-y-4">
      <h2 id="at-risk-heading" className="text-lg font-semibold text-slate-900">
        At risk
      </h2>
      <div className="grid gap-4 lg:grid-cols-2">
        <RiskList
          testId="risk-deadline"
          title="No 2FA, deadline near or passed"
          help={
            atRisk.deadline
              ? "Members without two-factor authentication whose deadline is within 3 days or has passed. Send a reminder."
              : "Shown when your organization requires 2FA and its deadline is within 3 days or has passed."
          }
          list={atRisk.deadline ?? { people: [], total: 0 }}
          all={{ href: usersHref({ status: "not-set-up" }), label: "All without 2FA" }}
          empty={atRisk.deadline ? "Everyone has set up 2FA or is exempt." : "No deadline is near."}
          currentUserId={currentUserId}
        />
        <RiskList
          testId="risk-codes"
          title="Few recovery codes left"
          help="Members with 3 or fewer unused recovery codes. Issue them a new set."
          list={atRisk.fewRecoveryCodes}
          all={{ href: "/audit-log?type=2fa.recovery_code_used", label: "Recovery code use in the audit log" }}
          empty="Nobody is running low on recovery codes."
          currentUserId={currentUserId}
        />
        <RiskList
          testId="risk-exemptions"
          title="Exemptions ending within 7 days"
          help="Members without 2FA whose exemption ends soon. Extend it, or remind them to set up 2FA."
          list={atRisk.exemptionsEnding}
          all={{ href: usersHref({ status: "exempt-until" }), label: "All exempt until a date" }}
          empty="No exemption ends in the next 7 days."
          currentUserId={currentUserId}
        />
        <RiskList
          testId="risk-recovery-sign-ins"
          title="Signed in with a recovery code (30 days)"
          help="They may have lost their authenticator. Check with them; issue new codes or reset their 2FA."
          list={atRisk.recoverySignIns}
          all={{ href: "/audit-log?type=2fa.recovery_code_used", label: "See in the audit log" }}
          empty="Nobody signed in with a recovery code in the last 30 days."
          currentUserId={currentUserId}
        />
      </div>
    </section>
  );
}
