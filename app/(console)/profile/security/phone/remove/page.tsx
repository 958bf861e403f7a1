import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Alert, ButtonLink, PageHeader } from "@/components/ui";
import { pageUser } from "@/lib/auth/guards";
import { enrollmentRequirements } from "@/lib/services/two-factor/enrollment";
import { phoneRemovalRefusal } from "@/lib/services/two-factor/phone-disable";
import { ownTwoFactorStatus } from "../../../../_components/own-two-factor-status";
import { RemovePhoneForm } from "./remove-form";

export const metadata: Metadata = { title: "Turn off text-message codes" };

export default async function RemovePhonePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const params = await searchParams;
  const current = await pageUser();
  const actor = { userId: current.user.id };
  const [status, refusal, needs] = await Promise.all([
    ownTwoFactorStatus(actor.userId),
    phoneRemovalRefusal({ actor }),
    enrollmentRequirements({ actor }),
  ]);
  if (!status.phone) redirect("/profile/security");
  return (
    <div className="space-y-6">
      <PageHeader
        title="Turn off text-message codes"
        description={`Remove ${status.phone.masked} from your two-factor authentication.`}
      />
      {refusal ? (
        <>
          <Alert variant="warning" title="This phone is your only second factor, and your organization requires one">
            {refusal} Add an authenticator app first; then you can remove the phone.
          </Alert>
          <div className="flex flex-wrap gap-3">
            <ButtonLink href="/profile/security/two-factor/setup">Set up an authenticator app</ButtonLink>
            <ButtonLink href="/profile/security" variant="secondary">
              Back to security settings
            </ButtonLink>
          </div>
        </>
      ) : (
        <RemovePhoneForm
          number={status.phone.masked}
          needsPassword={needs.needsPassword}
          lastFactor={!status.enabled}
          initialMethod={params.with === "recovery" ? "recovery" : "sms"}
        />
      )}
    </div>
  );
}
