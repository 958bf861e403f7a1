import type { Metadata } from "next";
import Link from "next/link";
import { AuthLayout } from "@/components/shell/auth-layout";
import { Alert } from "@/components/ui";
import { isDomainError } from "@/lib/errors";
import { describeInvitation } from "@/lib/services/teammates/describe-invitation";
import { AcceptInvitationForm } from "./accept-form";

export const metadata: Metadata = { title: "Accept invitation" };

const roleLabel: Record<string, string> = { ADMIN: "an administrator", MEMBER: "a member", OWNER: "the owner" };

export default async function AcceptInvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  let invitation: Awaited<ReturnType<typeof describeInvitation>>;
  try {
    invitation = await describeInvitation({ input: { token } });
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return (
      <AuthLayout title="Invitation unavailable" subtitle="This link cannot be used.">
        <Alert variant="error">{e.message}</Alert>
        <p className="text-sm text-slate-700">
          <Link className="font-medium text-brand-700 underline-offset-4 hover:underline" href="/sign-in">
            Go to sign-in
          </Link>
        </p>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout
      title={`Join ${invitation.organizationName}`}
      subtitle={`${invitation.inviterName} invited ${invitation.email} to join as ${roleLabel[invitation.role] ?? "a member"}.`}
    >
      <AcceptInvitationForm token={token} email={invitation.email} existingAccount={invitation.existingAccount} />
    </AuthLayout>
  );
}
