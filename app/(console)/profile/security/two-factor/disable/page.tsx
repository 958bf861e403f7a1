import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Alert, ButtonLink, PageHeader } from "@/components/ui";
import { pageUser } from "@/lib/auth/guards";
import { errorMessages } from "@/lib/errors";
import { disableRefusal } from "@/lib/services/two-factor/disable";
import { enrollmentRequirements } from "@/lib/services/two-factor/enrollment";
import { twoFactorStatus } from "@/lib/services/two-factor/status";
import { DisableForm } from "./disable-form";

export const metadata: Metadata = { title: "Turn off two-factor authentication" };

export default async function DisablePage() {
  const current = await pageUser({ securityChange: true });
  if (!(await twoFactorStatus({ actor: { userId: current.user.id } })).enabled) redirect("/profile/security");
  // Said before asking for a code (the service refuses too, S24).
  const refusal = await disableRefusal({ actor: { userId: current.user.id } });
  if (refusal) {
    return (
      <div className="space-y-6">
        <PageHeader title="Turn off two-factor authentication" />
        <Alert variant="warning" title={errorMessages.POLICY_REQUIRES_TWO_FACTOR}>
          {refusal}
        </Alert>
        <ButtonLink href="/profile/security" variant="secondary">
          Back to security settings
        </ButtonLink>
      </div>
    );
  }
  return (
    <div className="space-y-6">
      <PageHeader
        title="Turn off two-factor authentication"
        description="Your account will be protected by your password alone."
      />
      <DisableForm
        needsPassword={(await enrollmentRequirements({ actor: { userId: current.user.id } })).needsPassword}
      />
    </div>
  );
}
