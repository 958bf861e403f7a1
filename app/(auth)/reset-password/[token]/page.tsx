import type { Metadata } from "next";
import Link from "next/link";
import { AuthLayout } from "@/components/shell/auth-layout";
import { Alert, LocalTime } from "@/components/ui";
import { isDomainError } from "@/lib/errors";
import { describePasswordResetToken } from "@/lib/services/accounts/reset-password";
import { ResetPasswordForm } from "./reset-password-form";

export const metadata: Metadata = { title: "Choose a new password" };

const link = "font-medium text-brand-700 underline-offset-4 hover:underline";

/** The emailed "forgot password" link (issue 10 item 2): a new password; then sign-in as usual (S18). */
export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  let reset: Awaited<ReturnType<typeof describePasswordResetToken>>;
  try {
    reset = await describePasswordResetToken({ input: { token } });
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return (
      <AuthLayout title="This link cannot be used" subtitle="Resetting your password">
        <Alert variant="error">{e.message}</Alert>
        <p className="text-sm text-slate-700">
          <Link className={link} href="/forgot-password">
            Ask for a new link
          </Link>{" "}
          or{" "}
          <Link className={link} href="/sign-in">
            sign in
          </Link>
          .
        </p>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout
      title="Choose a new password"
      subtitle="Setting it signs you out on every device. Two-factor authentication stays on: you will still be asked for a code when you sign in."
    >
      <ResetPasswordForm token={token} email={reset.email} name={reset.name} />
      <p className="text-sm text-slate-600">
        This link works once, until <LocalTime value={reset.expiresAt} format="time" />.
      </p>
    </AuthLayout>
  );
}
