"use client";

import { useState } from "react";
import { FormError, FormField, SubmitButton } from "@/components/forms";
import { useActionForm } from "@/components/forms/use-action-form";
import { Alert, Input } from "@/components/ui";
import { forgotPasswordSchema } from "@/lib/validation/auth";
import { requestPasswordResetAction } from "./actions";

export function ForgotPasswordForm() {
  const [sent, setSent] = useState<{ email: string; minutes: number } | null>(null);
  const { form, formError, run } = useActionForm(forgotPasswordSchema, { defaultValues: { email: "" } });
  const { register, formState } = form;

  const onSubmit = form.handleSubmit(async (values) => {
    const data = await run(() => requestPasswordResetAction(values));
    if (data) setSent({ email: values.email, minutes: data.expiresInMinutes });
  });

  if (sent) {
    // The same words whether or not an account exists (no enumeration).
    return (
      <div className="space-y-4">
        <Alert variant="success" title="Check your email">
          If an account exists for <strong>{sent.email}</strong>, we sent it a link to choose a new password. The link
          works once, for {sent.minutes} minutes.
        </Alert>
        <p className="text-sm text-slate-600">
          No mail after a few minutes? Check your spam folder and the spelling of the address, or{" "}
          <button
            type="button"
            className="font-medium text-brand-700 underline-offset-4 hover:underline"
            onClick={() => setSent(null)}
          >
            try another address
          </button>
          . Accounts that sign in with single sign-on have no Twofold password: use your organization&apos;s sign-in.
        </p>
      </div>
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5" aria-label="Reset your password">
      <FormError message={formError} />
      <FormField label="Email" htmlFor="email" error={formState.errors.email?.message}>
        <Input id="email" type="email" autoComplete="username" autoFocus {...register("email")} />
      </FormField>
      <SubmitButton pending={formState.isSubmitting} className="w-full">
        Email me a reset link
      </SubmitButton>
    </form>
  );
}
