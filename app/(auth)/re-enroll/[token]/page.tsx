import type { Metadata } from "next";
import Link from "next/link";
import { AuthLayout } from "@/components/shell/auth-layout";
import { Alert, LocalTime } from "@/components/ui";
import { isDomainError } from "@/lib/errors";
import { describeReEnrollmentToken } from "@/lib/services/two-factor/re-enrollment";
import { ReEnrollForm } from "./re-enroll-form";

export const metadata: Metadata = { title: "Set up two-factor authentication again" };

/** The link an administrator's 2FA reset mails to the teammate (S28): their password, then the setup page. */
export default async function ReEnrollPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  let link: Awaited<ReturnType<typeof describeReEnrollmentToken>>;
  try {
    link = await describeReEnrollmentToken({ input: { token } });
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return (
      <AuthLayout title="This link cannot be used" subtitle="Setting up two-factor authentication again">
        <Alert variant="error">{e.message}</Alert>
        <p className="text-sm text-slate-700">
          An administrator of your organization can reset your two-factor authentication again, which sends you a new
          link. If you still have your authenticator app,{" "}
          <Link className="font-medium text-brand-700 underline-offset-4 hover:underline" href="/sign-in">
            sign in
          </Link>{" "}
          as usual.
        </p>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout
      title="Set up two-factor authentication again"
      subtitle={`An administrator of ${link.organizationName} reset two-factor authentication for ${link.email}. Enter your password to set up a new authenticator app.`}
    >
      <ReEnrollForm token={token} email={link.email} />
      <p className="text-sm text-slate-600">
        This link works once, until <LocalTime value={link.expiresAt} />.
      </p>
    </AuthLayout>
  );
}
