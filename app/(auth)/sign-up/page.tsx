import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthLayout } from "@/components/shell/auth-layout";
import { getCurrentUser } from "@/lib/auth/guards";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Create an organization" };

export default async function SignUpPage() {
  if (await getCurrentUser()) redirect("/dashboard");
  return (
    <AuthLayout
      title="Create your organization"
      subtitle="You will be its owner. Invite your teammates once you are in."
      footer={
        <p>
          Already have an account?{" "}
          <Link className="font-medium text-brand-700 underline-offset-4 hover:underline" href="/sign-in">
            Sign in
          </Link>
        </p>
      }
    >
      <SignUpForm />
    </AuthLayout>
  );
}
