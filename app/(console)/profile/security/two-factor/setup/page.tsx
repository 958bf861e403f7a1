import type { Metadata } from "next";
import { Card, CardBody, CardHeader, PageHeader } from "@/components/ui";
import { pageUser } from "@/lib/auth/guards";
import { pendingTotpEnrollment, twoFactorStatus } from "@/lib/services/two-factor";
import { StartEnrollmentButton } from "../start-button";
import { SetupForm } from "./setup-form";

export const metadata: Metadata = { title: "Set up an authenticator app" };

export default async function SetupPage() {
  const current = await pageUser();
  const [pending, status] = await Promise.all([
    pendingTotpEnrollment(current.user.id),
    twoFactorStatus(current.user.id),
  ]);
  const title = status.enabled ? "Move two-factor authentication to a new app" : "Set up an authenticator app";
  return (
    <div className="space-y-6">
      <PageHeader
        title={title}
        description="Use an app such as Google Authenticator, Microsoft Authenticator, 1Password or Authy."
      />
      {pending ? (
        <SetupForm
          email={current.user.email}
          otpauthUri={pending.otpauthUri}
          secretForDisplay={pending.secretForDisplay}
          expiresAt={pending.expiresAt.toISOString()}
          reenrolling={status.enabled}
        />
      ) : (
        <Card>
          <CardHeader
            title="Start setup"
            description="We will show a QR code for your app. For your security it is valid for 10 minutes."
          />
          <CardBody>
            <StartEnrollmentButton label="Show QR code" />
          </CardBody>
        </Card>
      )}
    </div>
  );
}
