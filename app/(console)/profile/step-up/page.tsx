import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Card, CardBody, PageHeader } from "@/components/ui";
import { pageUser } from "@/lib/auth/guards";
import { skippedHow } from "@/lib/format/skipped-prompt";
import { safeRedirect } from "@/lib/urls";
import { StepUpPanel } from "./step-up-panel";

export const metadata: Metadata = { title: "Confirm it's you" };

/**
 * S30: a session whose sign-in skipped the second step (trusted network, remembered device, familiar sign-in) lands
 * here before a security or admin page, confirms with a code from an existing factor, and goes on to that page.
 */
export default async function StepUpPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const current = await pageUser();
  const next = safeRedirect((await searchParams).callbackUrl);
  if (!current.session.needsStepUp) redirect(next);
  return (
    <div className="mx-auto max-w-xl space-y-6">
      <PageHeader
        title="Confirm it's you"
        description={`You signed in ${skippedHow(current.session.authMethod)}, so Twofold did not ask for your code. Security settings and administration need it once in this session.`}
      />
      <Card>
        <CardBody>
          <StepUpPanel next={next} />
        </CardBody>
      </Card>
    </div>
  );
}
