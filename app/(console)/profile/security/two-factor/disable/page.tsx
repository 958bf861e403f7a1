import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { PageHeader } from "@/components/ui";
import { pageUser } from "@/lib/auth/guards";
import { twoFactorStatus } from "@/lib/services/two-factor";
import { DisableForm } from "./disable-form";

export const metadata: Metadata = { title: "Turn off two-factor authentication" };

export default async function DisablePage() {
  const current = await pageUser();
  if (!(await twoFactorStatus(current.user.id)).enabled) redirect("/profile/security");
  return (
    <div className="space-y-6">
      <PageHeader
        title="Turn off two-factor authentication"
        description="Your account will be protected by your password alone."
      />
      <DisableForm />
    </div>
  );
}
