import type { Metadata } from "next";
import { AuthLayout } from "@/components/shell/auth-layout";
import { Alert } from "@/components/ui";
import { pendingSignIn, StartAgain } from "../pending";
import { VerifyForm } from "./verify-form";

export const metadata: Metadata = { title: "Two-factor authentication" };

// The second step of sign-in (S16). There is no session yet: only the HttpOnly challenge cookie of this browser.
export default async function VerifyPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const { params, callbackUrl, challenge } = await pendingSignIn(searchParams);
  const back = <StartAgain />;

  if (!challenge || challenge.requirement !== "second-factor") {
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
  return (
    <AuthLayout title="Two-factor authentication" subtitle={`Signing in as ${challenge.email}`} footer={back}>
      <VerifyForm callbackUrl={callbackUrl} initialMethod={params.method === "recovery" ? "recovery" : "totp"} />
    </AuthLayout>
  );
}
