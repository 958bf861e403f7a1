import type { Metadata } from "next";
import { Card, CardBody, CardHeader, PageHeader } from "@/components/ui";
import { ADMIN_ROLES, pageOrgRole } from "@/lib/auth/guards";

export const metadata: Metadata = { title: "Organization security" };

export default async function OrganizationSecurityPage() {
  const ctx = await pageOrgRole(ADMIN_ROLES);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Organization security"
        description={`Two-factor authentication rules for everyone in ${ctx.organization.name}.`}
      />
      <Card>
        <CardHeader
          title="Require two-factor authentication"
          description="Coming soon: require 2FA for every member, with a sign-out-now, next-sign-in or grace-period rollout."
        />
        <CardBody>
          <p className="text-sm text-slate-700">
            Trusted networks, remembered devices and allowed methods will also live here.
          </p>
        </CardBody>
      </Card>
    </div>
  );
}
