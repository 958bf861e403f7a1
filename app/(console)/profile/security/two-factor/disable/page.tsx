import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Alert, ButtonLink, PageHeader } from "@/components/ui";
import { pageUser } from "@/lib/auth/guards";
import { errorMessages } from "@/lib/errors";
import { appRemovalRefusal } from "@/lib/services/two-factor/disable";
import { enrollmentRequirements } from "@/lib/services/two-factor/enrollment";
import { ownTwoFactorStatus } from "../../../../_components/own-two-factor-status";
import { DisableForm } from "./disable-form";

export const metadata: Metadata = { title: "Turn off two-factor authentication" };

export default async function DisablePage() {
  const current = await pageUser({ securityChange: true });
  const status = await ownTwoFactorStatus(current.user.id);
  if (!status.enabled) redirect("/profile/security");
  // Said before asking for a code (the service refuses too, S24). A phone that stays keeps 2FA on (issue 12).
  const refusal = await appRemovalRefusal({ actor: { userId: current.user.id } });
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
      {status.phone ? (
        <PageHeader
          title="Remove the authenticator app"
          description={`Two-factor authentication stays on with text-message codes to ${status.phone.masked}.`}
        />
      ) : (
        <PageHeader
          title="Turn off two-factor authentication"
          description="Your account will be protected by your password alone."
        />
      )}
      <DisableForm
        needsPassword={(await enrollmentRequirements({ actor: { userId: current.user.id } })).needsPassword}
        phoneStays={status.phone?.masked ?? null}
      />
    </div>
  );
}
