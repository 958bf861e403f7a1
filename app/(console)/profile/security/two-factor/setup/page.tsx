import type { Metadata } from "next";
import Link from "next/link";
import { Alert, Card, CardBody, CardHeader } from "@/components/ui";
import { pageUser } from "@/lib/auth/guards";
import { requestTimeZone } from "@/lib/auth/request-context";
import { formatDeadline } from "@/lib/format/deadline";
import { enrollmentRequirements, pendingTotpEnrollment } from "@/lib/services/two-factor/enrollment";
import { smsAllowedFor } from "@/lib/services/two-factor/phone-common";
import { ownTwoFactorStatus } from "../../../../_components/own-two-factor-status";
import { StartEnrollmentButton } from "../start-button";
import { SetupForm } from "./setup-form";
import { BeforeSetupDone, SetupPageHeader, SetupStateProvider } from "./setup-state";

export const metadata: Metadata = { title: "Set up an authenticator app" };

export default async function SetupPage() {
  // The one page (with its actions and sign-out) open to a member whom an organization requires to set up 2FA.
  const current = await pageUser({ duringSetup: true, securityChange: true });
  const [pending, status, needs, smsAllowed] = await Promise.all([
    pendingTotpEnrollment({ actor: { userId: current.user.id } }),
    ownTwoFactorStatus(current.user.id),
    // The session tells whether this setup is part of an emailed link flow (invitation, re-enrollment link).
    enrollmentRequirements({ actor: { userId: current.user.id, sessionId: current.session.id } }),
    smsAllowedFor({ actor: { userId: current.user.id } }),
  ]);
  const { gate } = current;
  const title = status.enabled ? "Move two-factor authentication to a new app" : "Set up an authenticator app";
  return (
    <SetupStateProvider>
      <div className="space-y-6">
        <SetupPageHeader
          title={title}
          doneTitle={status.enabled ? "Your new authenticator app is active" : "Two-factor authentication is on"}
          description="Use an app such as Google Authenticator, Microsoft Authenticator, 1Password or Authy."
        />
        <BeforeSetupDone>
          {gate.kind === "setup-required" ? (
            <Alert
              variant="warning"
              title={`${gate.organizationNames.join(" and ")} requires two-factor authentication`}
            >
              Set it up now to continue: until then, only this page and signing out are available.
            </Alert>
          ) : null}
          {gate.kind === "notice" && !status.enabled ? (
            <Alert variant="info" title={`${gate.organizationName} requires two-factor authentication`}>
              {gate.deadline
                ? `Set it up before ${formatDeadline(gate.deadline, await requestTimeZone())}.`
                : "You will be asked at your next sign-in."}{" "}
              <Link href="/dashboard" className="font-medium underline underline-offset-4">
                Remind me later
              </Link>
            </Alert>
          ) : null}
          {gate.kind === "setup-required" && !status.anyFactor && smsAllowed ? (
            <p className="text-sm text-slate-700">
              No smartphone for an app?{" "}
              <Link
                href="/profile/security/phone/add"
                className="font-medium text-brand-700 underline underline-offset-4"
              >
                Use text messages to your mobile instead
              </Link>{" "}
              (an app is stronger).
            </p>
          ) : null}
          {status.enabled ? (
            <Alert variant="info" title="You will need your current app or a recovery code">
              To move two-factor authentication to a new phone, confirm with a code from the app you use today. Lost
              that phone? Use one of your recovery codes instead. Lost both? Ask an administrator of your organization
              to reset your two-factor authentication. Moving also replaces your recovery codes: the old ones stop
              working and you get a new set to save.
            </Alert>
          ) : null}
        </BeforeSetupDone>
        {pending ? (
          <SetupForm
            email={current.user.email}
            otpauthUri={pending.otpauthUri}
            secretForDisplay={pending.secretForDisplay}
            expiresAt={pending.expiresAt.toISOString()}
            reenrolling={status.enabled}
            needs={{
              password: needs.needsPassword,
              emailCode: needs.needsEmailCode,
              currentFactor: needs.needsCurrentFactor,
              linkFlow: needs.linkFlow,
            }}
            continueHref={needs.forced ? "/dashboard" : "/profile/security"}
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
    </SetupStateProvider>
  );
}
