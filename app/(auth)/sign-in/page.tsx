import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthLayout } from "@/components/shell/auth-layout";
import { Alert } from "@/components/ui";
import { getCurrentUser, signedOutReason } from "@/lib/auth/guards";
import { signOutReasonText } from "@/lib/auth/sign-out-reasons";
import { env } from "@/lib/env";
import { type ErrorCode, errorMessages } from "@/lib/errors";
import { safeRedirect } from "@/lib/urls";
import { SignInForm } from "./sign-in-form";
import { SsoButton } from "./sso-button";

export const metadata: Metadata = { title: "Sign in" };

/** Refusals of single sign-on (lib/services/sign-in/sso-sign-in.ts), passed back as `?error=CODE` by lib/auth/options.ts
 *  and by /sign-in/sso. */
const SSO_ERRORS: readonly ErrorCode[] = [
  "SSO_NOT_CONFIGURED",
  "SSO_EMAIL_UNVERIFIED",
  "SSO_PASSWORD_ACCOUNT",
  "SSO_NOT_MEMBER",
  "SSO_SIGN_IN_EXPIRED",
];

/** next-auth's own `?error=` codes (v4), in words for people. */
const NEXT_AUTH_ERRORS: Record<string, string> = {
  OAuthSignin: "Single sign-on could not be started. Please try again, or sign in with your email and password.",
  OAuthCallback:
    "Single sign-on was cancelled or your identity provider did not confirm who you are. Please try again.",
  OAuthCreateAccount: "Single sign-on could not be completed. Please try again.",
  OAuthAccountNotLinked: "Single sign-on could not be completed. Please try again.",
  Callback: "Single sign-on could not be completed. Please try again.",
  AccessDenied: "Sign-in was refused.",
  Configuration: "Sign-in is not configured correctly on the server. Please contact your administrator.",
  SessionRequired: "Please sign in to continue.",
};

/** Only known codes become text: the query string is the visitor's, never shown as is. */
function errorText(code: string | undefined): string | null {
  if (!code) return null;
  if ((SSO_ERRORS as readonly string[]).includes(code)) return errorMessages[code as ErrorCode];
  return NEXT_AUTH_ERRORS[code] ?? "Your sign-in could not be completed. Please try again.";
}

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = safeRedirect(params.callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  const error = errorText(params.error);
  // Why this browser's own session ended (issue 10 item 4): from its session cookie's row, never from the query string.
  const reason = params.signedOut ? null : await signedOutReason();
  const ended = signOutReasonText(reason);
  const sso = env.oidc;
  return (
    <AuthLayout
      title="Sign in to Twofold"
      subtitle={
        sso
          ? "Use the email and password of your work account, or your organization's single sign-on."
          : "Use the email and password of your work account."
      }
      footer={
        <p>
          New to Twofold?{" "}
          <Link className="font-medium text-brand-700 underline-offset-4 hover:underline" href="/sign-up">
            Create an organization
          </Link>
        </p>
      }
    >
      {params.signedOut ? <Alert variant="success">You have been signed out.</Alert> : null}
      {params.reset === "done" ? (
        <Alert variant="success" title="Your password was changed">
          You were signed out on every device. Sign in with your new password.
        </Alert>
      ) : null}
      {ended ? (
        <Alert
          variant={reason === "signed_out" ? "success" : "warning"}
          title={reason === "signed_out" ? undefined : "You were signed out"}
        >
          <span data-testid="sign-out-reason" data-reason={reason}>
            {ended}
          </span>
        </Alert>
      ) : null}
      {error ? <Alert variant="warning">{error}</Alert> : null}
      <SignInForm callbackUrl={callbackUrl} />
      {sso ? (
        <>
          <div className="flex items-center gap-3 text-xs font-medium uppercase tracking-wide text-slate-500">
            <span aria-hidden="true" className="h-px flex-1 bg-slate-200" />
            or
            <span aria-hidden="true" className="h-px flex-1 bg-slate-200" />
          </div>
          <SsoButton name={sso.displayName} callbackUrl={callbackUrl} />
        </>
      ) : null}
    </AuthLayout>
  );
}
