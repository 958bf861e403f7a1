import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthLayout } from "@/components/shell/auth-layout";
import { Alert } from "@/components/ui";
import { pendingSignIn, StartAgain } from "../pending";
import { CompleteSso } from "./complete-sso";

export const metadata: Metadata = { title: "Signing in" };

// Where the SSO first step lands when no second factor is needed (lib/auth/options.ts): the identity provider said
// who this is and the pending sign-in (HttpOnly challenge cookie) exists, but there is no session yet (S16). The page
// exchanges the challenge for a session through next-auth's "challenge" provider, exactly as the password form does.
export default async function SsoCompletePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const { callbackUrl, challenge } = await pendingSignIn(searchParams);
  const back = <StartAgain />;

  if (!challenge) {
    return (
      <AuthLayout title="Sign-in expired" subtitle="Single sign-on must be completed within 5 minutes." footer={back}>
        <Alert variant="warning">
          Your sign-in expired or was started in another browser. Go back to the sign-in page and choose single sign-on
          again.
        </Alert>
      </AuthLayout>
    );
  }
  if (challenge.requirement === "second-factor") {
    redirect(`/sign-in/verify?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  }
  return (
    <AuthLayout title="Signing you in" subtitle={`Signing in as ${challenge.email}`} footer={back}>
      <CompleteSso callbackUrl={callbackUrl} />
    </AuthLayout>
  );
}
