import { Badge, ButtonLink, Card, CardBody, CardHeader, LocalTime } from "@/components/ui";
import { deviceName } from "@/lib/format/user-agent";
import type { MemberOverview } from "@/lib/services/dashboard/member-overview";

// A member's dashboard (issue 15 §5): their own two-factor state and sessions, and who the owner is. No organization
// figures: the service that feeds it reads nothing about other members but the owner's name and email.

export function MemberDashboard({ overview }: { overview: MemberOverview }) {
  const t = overview.twoFactor;
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Card data-testid="my-two-factor">
        <CardHeader
          title="Your two-factor authentication"
          actions={
            t.enabled ? (
              <Badge variant="success">On</Badge>
            ) : t.exemptUntil ? (
              <Badge variant="warning">Exempt</Badge>
            ) : (
              <Badge variant="warning">Not set up</Badge>
            )
          }
        />
        <CardBody className="space-y-3 text-sm text-slate-700">
          {t.enabled ? (
            <p>
              On since {t.since ? <LocalTime value={t.since} format="day" /> : "—"} with{" "}
              {t.methods ?? "an authenticator app"}. {t.recoveryCodesLeft} unused recovery code
              {t.recoveryCodesLeft === 1 ? "" : "s"} left.
            </p>
          ) : t.exemptUntil ? (
            <p>
              An administrator exempted you from the requirement until <LocalTime value={t.exemptUntil} format="day" />.
            </p>
          ) : (
            <p>
              Your account is protected by your password only.
              {t.required ? (
                t.deadline ? (
                  <>
                    {" "}
                    Your organization requires two-factor authentication by{" "}
                    <LocalTime value={t.deadline} format="deadline" />.
                  </>
                ) : (
                  " Your organization requires two-factor authentication."
                )
              ) : null}
            </p>
          )}
          <ButtonLink
            href={t.enabled ? "/profile/security" : "/profile/security/two-factor/setup"}
            variant={t.enabled ? "secondary" : "primary"}
          >
            {t.enabled ? "Open Profile › Security" : "Set up two-factor authentication"}
          </ButtonLink>
        </CardBody>
      </Card>
      <Card data-testid="my-sessions">
        <CardHeader
          title={`Your sessions (${overview.sessions.length})`}
          description="Browsers signed in to your account."
        />
        <ul className="divide-y divide-slate-200">
          {overview.sessions.slice(0, 5).map((s) => (
            <li key={s.id} className="px-6 py-3 text-sm">
              <p className="text-slate-900">
                {deviceName(s.userAgent)}
                {s.current ? <span className="ml-2 text-xs font-medium text-emerald-700">(this browser)</span> : null}
              </p>
              <p className="text-xs text-slate-600">
                {s.ip ?? "unknown IP"} · last seen <LocalTime value={s.lastSeenAt} />
              </p>
            </li>
          ))}
        </ul>
        <CardBody>
          <ButtonLink href="/profile/security" variant="secondary">
            Manage sessions
          </ButtonLink>
        </CardBody>
      </Card>
      <Card data-testid="my-owner">
        <CardHeader
          title="Need help?"
          description={
            overview.owner
              ? `Your organization's owner is ${overview.owner.name} (${overview.owner.email}).`
              : "Ask your administrator."
          }
        />
      </Card>
    </div>
  );
}
