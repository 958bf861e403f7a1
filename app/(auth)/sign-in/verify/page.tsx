import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthLayout } from "@/components/shell/auth-layout";
import { Alert } from "@/components/ui";
import { readChallengeCookie } from "@/lib/auth/cookies";
import { getCurrentUser } from "@/lib/auth/guards";
import { requestTimeZone } from "@/lib/auth/request-context";
import { attemptsLeftText, errorMessages, secondFactorLockDetail } from "@/lib/errors";
import { describeChallenge } from "@/lib/services/sign-in/challenge";
import { safeRedirect } from "@/lib/urls";
import { VerifyForm } from "./verify-form";

export const metadata: Metadata = { title: "Two-factor authentication" };

// The second step of sign-in (S16: no session before every factor passed). There is no session yet: only this
// browser's HttpOnly challenge cookie. Someone already signed in goes straight on.
export default async function VerifyPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = safeRedirect(params.callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  const challenge = await describeChallenge({ input: { challengeToken: await readChallengeCookie() } });
  const back = (
    <p>
      Not you or stuck?{" "}
      <Link className="font-medium text-brand-700 underline-offset-4 hover:underline" href="/sign-in">
        Start again
      </Link>
    </p>
  );

  if (challenge?.requirement !== "second-factor") {
    return (
      <AuthLayout
        title="Sign-in expired"
        subtitle="For your security the second step must follow the password within 5 minutes."
        footer={back}
      >
        <Alert variant="warning">Your sign-in expired or was started in another browser. Please sign in again.</Alert>
      </AuthLayout>
    );
  }
  // Issue 10 item 5: a person who signs in again while the second step is locked is told at once, with the unlock
  // time in their own time zone, instead of after a submit.
  const { lockedUntil, attemptsLeft } = challenge.secondFactor ?? { lockedUntil: null, attemptsLeft: null };
  if (lockedUntil) {
    return (
      <AuthLayout title="Two-factor authentication" subtitle={`Signing in as ${challenge.email}`} footer={back}>
        <Alert variant="warning" title={errorMessages.SECOND_FACTOR_LOCKED}>
          <span data-testid="lock-message">{secondFactorLockDetail(lockedUntil, await requestTimeZone())}</span>
        </Alert>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title="Two-factor authentication" subtitle={`Signing in as ${challenge.email}`} footer={back}>
      <VerifyForm
        callbackUrl={callbackUrl}
        initialMethod={params.method === "recovery" ? "recovery" : params.method === "sms" ? "sms" : "totp"}
        methods={{
          totp: challenge.methods?.totp ?? false,
          sms: challenge.methods?.sms
            ? {
                lastFour: challenge.methods.sms.lastFour,
                sentAt: challenge.methods.sms.sentAt?.toISOString() ?? null,
                resendAfter: challenge.methods.sms.resendAfter?.toISOString() ?? null,
              }
            : null,
          recovery: challenge.methods?.recovery ?? false,
        }}
        attemptsLeftNotice={attemptsLeft === null ? null : attemptsLeftText(attemptsLeft, "two-factor")}
      />
    </AuthLayout>
  );
}
