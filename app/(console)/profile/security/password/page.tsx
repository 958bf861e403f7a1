import type { Metadata } from "next";
import { Alert, ButtonLink, PageHeader } from "@/components/ui";
import { pageUser } from "@/lib/auth/guards";
import { errorMessages } from "@/lib/errors";
import { enrollmentRequirements } from "@/lib/services/two-factor/enrollment";
import { ownFactorMethods } from "../../../_components/own-factor-methods";
import { ownTwoFactorStatus } from "../../../_components/own-two-factor-status";
import { ChangePasswordForm } from "./change-password-form";

export const metadata: Metadata = { title: "Change password" };

export default async function ChangePasswordPage() {
  const current = await pageUser({ securityChange: true });
  const actor = { userId: current.user.id };
  const [status, requirements] = await Promise.all([
    ownTwoFactorStatus(actor.userId),
    enrollmentRequirements({ actor }),
  ]);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Change password"
        description="Your other sessions will be signed out; this device stays signed in. We will email you a confirmation."
      />
      {requirements.needsPassword ? (
        <ChangePasswordForm email={current.user.email} name={current.user.name} methods={ownFactorMethods(status)} />
      ) : (
        <>
          <Alert variant="info">{errorMessages.PASSWORD_NOT_SET}</Alert>
          <ButtonLink href="/profile/security" variant="secondary">
            Back to security settings
          </ButtonLink>
        </>
      )}
    </div>
  );
}
