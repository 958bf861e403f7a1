import type { Metadata } from "next";
import { ButtonLink, Card, CardBody, CardHeader, PageHeader } from "@/components/ui";
import { pageOrgRole } from "@/lib/auth/guards";
import { organizationSummary } from "@/lib/services/teammates/teammates";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const ctx = await pageOrgRole("any");
  const summary = await organizationSummary(ctx.actor);
  const isAdmin = ctx.membership.role !== "MEMBER";
  const stats = [
    { label: "Members", value: summary.members },
    { label: "Owner and administrators", value: summary.admins },
    { label: "Pending invitations", value: summary.pendingInvitations },
  ];
  return (
    <div className="space-y-8">
      <PageHeader
        title={`Welcome, ${ctx.user.name.split(" ")[0]}`}
        description={`${ctx.organization.name} · ${ctx.organization.plan.toLowerCase()} plan`}
      />
      <section aria-label="Organization at a glance" className="grid gap-4 sm:grid-cols-3">
        {stats.map((s) => (
          <Card key={s.label}>
            <CardBody>
              <p className="text-sm text-slate-600">{s.label}</p>
              <p className="mt-1 text-3xl font-semibold text-slate-900">{s.value}</p>
            </CardBody>
          </Card>
        ))}
      </section>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader title="Your account security" description="Review the devices signed in to your account." />
          <CardBody>
            <ButtonLink href="/profile/security" variant="secondary">
              Open Profile › Security
            </ButtonLink>
          </CardBody>
        </Card>
        {isAdmin ? (
          <Card>
            <CardHeader title="Your team" description="Invite teammates and manage their roles." />
            <CardBody>
              <ButtonLink href="/settings/users" variant="secondary">
                Manage users
              </ButtonLink>
            </CardBody>
          </Card>
        ) : (
          <Card>
            <CardHeader
              title="Need help?"
              description={
                summary.owner
                  ? `Your organization's owner is ${summary.owner.name} (${summary.owner.email}).`
                  : "Ask your administrator."
              }
            />
          </Card>
        )}
      </div>
    </div>
  );
}
