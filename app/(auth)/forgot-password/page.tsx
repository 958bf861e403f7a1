import type { Metadata } from "next";
import Link from "next/link";
import { AuthLayout } from "@/components/shell/auth-layout";
import { ForgotPasswordForm } from "./forgot-password-form";

export const metadata: Metadata = { title: "Forgot password" };

/** "Forgot password?" (issue 10 item 2): the email address to send a reset link to. */
export default function ForgotPasswordPage() {
  return (
    <AuthLayout
      title="Reset your password"
      subtitle="Enter the email address of your account. We will email you a link to choose a new password."
      footer={
        <p>
          Remembered it?{" "}
          <Link className="font-medium text-brand-700 underline-offset-4 hover:underline" href="/sign-in">
            Back to sign-in
          </Link>
        </p>
      }
    >
      <ForgotPasswordForm />
    </AuthLayout>
  );
}
