import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthLayout } from "@/components/shell/auth-layout";
import { Alert } from "@/components/ui";
import { safeCallbackUrl } from "@/lib/auth/challenge-cookie";
import { getCurrentUser } from "@/lib/auth/guards";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  return (
    <AuthLayout
      title="Sign in to Twofold"
      subtitle="Use the email and password of your work account."
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
      {params.error ? <Alert variant="warning">Your sign-in could not be completed. Please try again.</Alert> : null}
      <SignInForm callbackUrl={callbackUrl} />
    </AuthLayout>
  );
}
