import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { PageHeader } from "@/components/ui";
import { pageUser } from "@/lib/auth/guards";
import { ownFactorMethods } from "../../../../_components/own-factor-methods";
import { ownTwoFactorStatus } from "../../../../_components/own-two-factor-status";
import { RegenerateForm } from "./regenerate-form";

export const metadata: Metadata = { title: "Recovery codes" };

export default async function RecoveryCodesPage() {
  const current = await pageUser({ securityChange: true });
  const status = await ownTwoFactorStatus(current.user.id);
  // Any second factor (an app or a phone, issue 12) comes with recovery codes.
  if (!status.anyFactor) redirect("/profile/security");
  return (
    <div className="space-y-6">
      <PageHeader
        title="Recovery codes"
        description={`You have ${status.recoveryCodesRemaining} of ${status.recoveryCodesTotal} codes left. New codes replace all of the old ones.`}
      />
      {/* Signed in with a recovery code: the phone may be lost, so offer a recovery code first. */}
      <RegenerateForm
        email={current.user.email}
        remaining={status.recoveryCodesRemaining}
        methods={ownFactorMethods(status)}
        {...(current.session.authMethod.endsWith("+recovery-code") ? { preferredMethod: "recovery" as const } : {})}
      />
    </div>
  );
}
