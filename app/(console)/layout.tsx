import Link from "next/link";
import type { ReactNode } from "react";
import { ConsoleShell } from "@/components/shell/console-shell";
import { Alert } from "@/components/ui";
import { pageOrgRole } from "@/lib/auth/guards";
import { requestTimeZone } from "@/lib/auth/request-context";
import { daysLeft, formatDeadline } from "@/lib/format/deadline";
import { skippedHow } from "@/lib/format/skipped-prompt";
import { LowerAssuranceBanner } from "./_components/lower-assurance-banner";
import { ownFactorMethods } from "./_components/own-factor-methods";
import { ownTwoFactorStatus } from "./_components/own-two-factor-status";
import { PolicyBanner } from "./_components/policy-banner";
import { StepUpProvider } from "./_components/step-up-form";
import { TwoFactorSuggestion } from "./_components/suggestion-banner";
import { signOutAction } from "./actions";
import { dismissSuggestionAction } from "./profile/security/two-factor/actions";
import { SignOutButton } from "./sign-out-button";
import { stepUpAction } from "./step-up-action";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  // The layout lets a member who must set up 2FA through (restricted shell, no navigation); every page guards itself
  // and only the setup page allows them (S24).
  const ctx = await pageOrgRole("any", { duringSetup: true });
  const restricted = ctx.gate.kind === "setup-required";
  const isAdmin = ctx.membership.role === "OWNER" || ctx.membership.role === "ADMIN";
  const status = await ownTwoFactorStatus(ctx.user.id);
  const usedRecoveryCode = status.anyFactor && ctx.session.authMethod.endsWith("+recovery-code");
  return (
    <ConsoleShell
      user={{ name: ctx.user.name, email: ctx.user.email }}
      organization={{ name: ctx.organization.name, plan: ctx.organization.plan }}
      isAdmin={isAdmin}
      restricted={restricted}
      signOutSlot={
        <form action={signOutAction}>
          <SignOutButton />
        </form>
      }
    >
      {usedRecoveryCode ? (
        <div className="mb-6">
          <Alert
            variant={status.recoveryCodesRemaining <= 3 ? "warning" : "info"}
            title="You signed in with a recovery code"
          >
            {status.recoveryCodesRemaining} of {status.recoveryCodesTotal} recovery codes left.{" "}
            <Link
              href="/profile/security/two-factor/recovery-codes"
              className="font-medium underline underline-offset-4"
            >
              Generate new codes
            </Link>{" "}
            or, if you lost your phone,{" "}
            <Link href="/profile/security" className="font-medium underline underline-offset-4">
              move two-factor to a new phone
            </Link>
            .
          </Alert>
        </div>
      ) : null}
      {ctx.session.needsStepUp && !restricted ? (
        <LowerAssuranceBanner how={skippedHow(ctx.session.authMethod)} />
      ) : null}
      {ctx.gate.kind === "notice" ? (
        <PolicyBanner
          organizationName={ctx.gate.organizationName}
          deadline={ctx.gate.deadline?.toISOString() ?? null}
          daysLeft={ctx.gate.deadline ? daysLeft(ctx.gate.deadline) : null}
          deadlineText={ctx.gate.deadline ? formatDeadline(ctx.gate.deadline, await requestTimeZone()) : null}
        />
      ) : null}
      {!status.anyFactor && !status.suggestionDismissed && ctx.gate.kind === "clear" ? (
        <TwoFactorSuggestion dismiss={dismissSuggestionAction} />
      ) : null}
      <StepUpProvider action={stepUpAction} methods={ownFactorMethods(status)}>
        {children}
      </StepUpProvider>
    </ConsoleShell>
  );
}
