import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { PageHeader } from "@/components/ui";
import { pageUser } from "@/lib/auth/guards";
import { enrollmentRequirements } from "@/lib/services/two-factor/enrollment";
import { pendingPhoneChange } from "@/lib/services/two-factor/phone-change";
import { phoneCountryOptions } from "@/lib/sms/phone";
import { ownTwoFactorStatus } from "../../../../_components/own-two-factor-status";
import { ChangePhoneForm } from "./change-form";

export const metadata: Metadata = { title: "Change your phone number" };

export default async function ChangePhonePage() {
  const current = await pageUser();
  const actor = { userId: current.user.id, sessionId: current.session.id };
  const [status, change, needs] = await Promise.all([
    ownTwoFactorStatus(actor.userId),
    pendingPhoneChange({ actor }),
    // Without the session: a link flow spares the password at setup only; changing the number always asks for it.
    enrollmentRequirements({ actor: { userId: actor.userId } }),
  ]);
  if (!status.phone) redirect("/profile/security/phone/add");
  return (
    <div className="space-y-6">
      <PageHeader
        title="Change your phone number"
        description="A code to your current number first, then a code to the new one. Your other sessions are signed out when the number changes."
      />
      <ChangePhoneForm
        currentNumber={status.phone.masked}
        countries={phoneCountryOptions()}
        defaultCountry={status.phone.country}
        needsPassword={needs.needsPassword}
        pending={change.step === "new" ? { newNumber: change.newNumber } : null}
      />
    </div>
  );
}
