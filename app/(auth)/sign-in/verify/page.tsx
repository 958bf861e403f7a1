import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthLayout } from "@/components/shell/auth-layout";
import { Alert } from "@/components/ui";
import { safeCallbackUrl } from "@/lib/auth/challenge-cookie";
import { getCurrentUser } from "@/lib/auth/guards";
import { CHALLENGE_COOKIE, describeChallenge } from "@/lib/services/sign-in";
import { VerifyForm } from "./verify-form";

export const metadata: Metadata = { title: "Two-factor authentication" };

// The second step of sign-in (S16). There is no session yet: only the HttpOnly challenge cookie of this browser.
export default async function VerifyPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  const challenge = await describeChallenge((await cookies()).get(CHALLENGE_COOKIE)?.value);
  const back = (
    <p>
      Not you or stuck?{" "}
      <Link className="font-medium text-brand-700 underline-offset-4 hover:underline" href="/sign-in">
        Start again
      </Link>
    </p>
  );
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
