"use client";

import Link from "next/link";
import { createContext, type ReactNode, useContext, useId, useState } from "react";
import { z } from "zod";
import { ErrorSummary, SubmitButton } from "@/components/forms";
import { useActionForm } from "@/components/forms/use-action-form";
import type { ActionResult } from "@/lib/actions/action-client";
import { recoveryCodeField, smsCodeField, totpCodeField } from "@/lib/validation/two-factor";
import { OwnFactorField } from "./own-factor-field";
import { defaultMethod, type OwnFactorMethod, type OwnFactorMethods } from "./own-factor-methods";

// The ONE step-up form (S26, S42): shown inline, inside the dialog or form whose action answered STEP_UP_REQUIRED.
// The admin proves again, with their own second factor (an app code, a texted code or a recovery code, chosen with the
// one method control), that they are at the keyboard; then the caller retries.

type StepUpAction = (input: { method: OwnFactorMethod; code: string }) => Promise<ActionResult<unknown>>;

// The step-up server action reaches this form from the console layout (components never import app/), with the
// signed-in person's own factors (issue 12: an app, a phone, recovery codes; none: set up 2FA first).
const StepUpActionContext = createContext<{ action: StepUpAction; methods: OwnFactorMethods } | null>(null);

export function StepUpProvider({
  action,
  methods,
  children,
}: {
  action: StepUpAction;
  methods: OwnFactorMethods;
  children: ReactNode;
}) {
  return <StepUpActionContext.Provider value={{ action, methods }}>{children}</StepUpActionContext.Provider>;
}

/** The answers of an action that mean "show the step-up form": a code is needed, or (no factor of one's own) the
 *  person must set up 2FA first — the form then says so, with a link, instead of asking for a code. */
export const needsStepUp = (r: { ok: boolean; code?: string }): boolean =>
  !r.ok && (r.code === "STEP_UP_REQUIRED" || r.code === "STEP_UP_NEEDS_OWN_TWO_FACTOR");

const codeSchemas = {
  totp: z.object({ code: totpCodeField }),
  sms: z.object({ code: smsCodeField }),
  recovery: z.object({ code: recoveryCodeField }),
};

/** Shown when an action answers needsStepUp; `onVerified` retries it. */
export function StepUpForm({ onVerified }: { onVerified: () => Promise<void> | void }) {
  const stepUp = useContext(StepUpActionContext);
  const [method, setMethod] = useState<OwnFactorMethod>(() => (stepUp ? defaultMethod(stepUp.methods) : "totp"));
  if (!stepUp) throw new Error("StepUpForm needs a StepUpProvider (the console layout provides one).");
  if (!stepUp.methods.totp && stepUp.methods.sms === null) return <SetUpTwoFactorFirst />;
  return (
    <StepUpCodeForm
      key={method}
      method={method}
      methods={stepUp.methods}
      switchTo={setMethod}
      onVerified={onVerified}
    />
  );
}

/** An administrator without 2FA has no code to give: tell her to set it up first (issue 10 item 9). */
function SetUpTwoFactorFirst() {
  return (
    <section aria-label="Set up two-factor authentication first" className="space-y-2 rounded-lg bg-amber-50 p-4">
      <p className="font-medium text-slate-900">Set up two-factor authentication first</p>
      <p>
        This change needs a fresh check of your own two-factor authentication, and you have not set it up yet. Set up an
        authenticator app (about a minute), then come back and try again.
      </p>
      <Link
        href="/profile/security/two-factor/setup"
        className="inline-block font-medium text-brand-700 underline underline-offset-4"
      >
        Set up two-factor authentication
      </Link>
    </section>
  );
}

function StepUpCodeForm(props: {
  method: OwnFactorMethod;
  methods: OwnFactorMethods;
  switchTo: (m: OwnFactorMethod) => void;
  onVerified: () => Promise<void> | void;
}) {
  const { method } = props;
  const id = useId();
  const stepUpAction = useContext(StepUpActionContext)?.action;
  if (!stepUpAction) throw new Error("StepUpForm needs a StepUpProvider (the console layout provides one).");
  const { form, formError, run } = useActionForm(codeSchemas[method], { defaultValues: { code: "" } });
  const onSubmit = form.handleSubmit(async ({ code }) => {
    const data = await run(() => stepUpAction({ method, code }));
    if (data) await props.onVerified();
  });
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Confirm it's you" className="space-y-3 rounded-lg bg-slate-50 p-4">
      <p className="font-medium text-slate-900">Confirm it's you</p>
      <p>For your security, this needs a fresh check of your own two-factor authentication (valid for 10 minutes).</p>
      <ErrorSummary form={form} message={formError} />
      <OwnFactorField
        appLabel="Code from your authenticator app"
        id={`${id}-code`}
        methods={props.methods}
        method={method}
        onMethodChange={props.switchTo}
        error={form.formState.errors.code?.message}
        input={{ autoFocus: method !== "sms", ...form.register("code") }}
      />
      <div className="flex justify-end">
        <SubmitButton pending={form.formState.isSubmitting}>Verify and continue</SubmitButton>
      </div>
    </form>
  );
}
