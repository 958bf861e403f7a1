import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Alert, ButtonLink, PageHeader } from "@/components/ui";
import { pageUser } from "@/lib/auth/guards";
import { enrollmentRequirements } from "@/lib/services/two-factor/enrollment";
import { smsAllowedFor } from "@/lib/services/two-factor/phone-common";
import { phoneCountryOptions } from "@/lib/sms/phone";
import { ownTwoFactorStatus } from "../../../../_components/own-two-factor-status";
import { AppIsStronger } from "../_components/app-is-stronger";
import { AddPhoneForm } from "./add-form";

export const metadata: Metadata = { title: "Add a phone for text-message codes" };

export default async function AddPhonePage() {
  // Open during a forced setup too: a phone is a way to comply where the organization allows SMS.
  const current = await pageUser({ duringSetup: true });
  const actor = { userId: current.user.id, sessionId: current.session.id };
  const [status, allowed, needs] = await Promise.all([
    ownTwoFactorStatus(actor.userId),
    smsAllowedFor({ actor }),
    enrollmentRequirements({ actor }),
  ]);
  if (status.phone) redirect("/profile/security/phone/change");
  const setup = current.gate.kind === "setup-required";
  return (
    <div className="space-y-6">
      <PageHeader
        title="Add a phone for text-message codes"
        description="After your password, we text you a 6-digit code to sign in."
      />
      {allowed ? (
        <>
          <AppIsStronger hasApp={status.enabled} setupHref="/profile/security/two-factor/setup" />
          <AddPhoneForm
            email={current.user.email}
            countries={phoneCountryOptions()}
            defaultCountry="GB"
            needsPassword={needs.needsPassword}
            needsEmailCode={needs.needsEmailCode}
            continueHref={setup ? "/dashboard" : "/profile/security"}
          />
        </>
      ) : (
        <>
          <Alert variant="warning" title="Your organization does not allow text-message codes">
            Use an authenticator app instead: it is also the stronger second factor.
          </Alert>
          <ButtonLink href="/profile/security/two-factor/setup">Set up an authenticator app</ButtonLink>
        </>
      )}
    </div>
  );
}
