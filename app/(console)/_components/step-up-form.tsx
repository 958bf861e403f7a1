"use client";

import { createContext, type ReactNode, useContext, useId, useState } from "react";
import { z } from "zod";
import { ErrorSummary, FormField, SubmitButton } from "@/components/forms";
import { useActionForm } from "@/components/forms/use-action-form";
import { Input } from "@/components/ui";
import type { ActionResult } from "@/lib/actions/action-client";
import { recoveryCodeField, totpCodeField } from "@/lib/validation/two-factor";

// The ONE step-up form (S26, S42): shown inline, inside the dialog or form whose action answered STEP_UP_REQUIRED.
// The admin proves again, with their own second factor, that they are at the keyboard; then the caller retries.

type Method = "totp" | "recovery";
type StepUpAction = (input: { method: Method; code: string }) => Promise<ActionResult<unknown>>;

// The step-up server action reaches this form from the console layout (components never import app/).
const StepUpActionContext = createContext<StepUpAction | null>(null);

export function StepUpProvider({ action, children }: { action: StepUpAction; children: ReactNode }) {
  return <StepUpActionContext.Provider value={action}>{children}</StepUpActionContext.Provider>;
}

const codeSchemas = { totp: z.object({ code: totpCodeField }), recovery: z.object({ code: recoveryCodeField }) };

/** Shown when an action answers STEP_UP_REQUIRED; `onVerified` retries it. */
export function StepUpForm({ onVerified }: { onVerified: () => Promise<void> | void }) {
  const [method, setMethod] = useState<Method>("totp");
  return <StepUpCodeForm key={method} method={method} switchTo={setMethod} onVerified={onVerified} />;
}

function StepUpCodeForm(props: {
  method: Method;
  switchTo: (m: Method) => void;
  onVerified: () => Promise<void> | void;
}) {
  const { method } = props;
  const id = useId();
  const stepUpAction = useContext(StepUpActionContext);
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
      <FormField
        label={method === "totp" ? "Code from your authenticator app" : "One of your recovery codes"}
        htmlFor={`${id}-code`}
        error={form.formState.errors.code?.message}
      >
        <Input
          id={`${id}-code`}
          autoComplete={method === "totp" ? "one-time-code" : "off"}
          inputMode={method === "totp" ? "numeric" : undefined}
          autoFocus
          className="font-mono"
          {...form.register("code")}
        />
      </FormField>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <button
          type="button"
          className="text-sm font-medium text-brand-700 underline-offset-4 hover:underline"
          onClick={() => props.switchTo(method === "totp" ? "recovery" : "totp")}
        >
          {method === "totp" ? "Use one of my recovery codes" : "Use my authenticator app"}
        </button>
        <SubmitButton pending={form.formState.isSubmitting}>Verify and continue</SubmitButton>
      </div>
    </form>
  );
}
