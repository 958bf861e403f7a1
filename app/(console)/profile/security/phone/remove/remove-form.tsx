"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { CodeInput, ErrorSummary, FormField, PasswordInput, SubmitButton } from "@/components/forms";
import { useActionForm } from "@/components/forms/use-action-form";
import { Alert, ButtonLink, Card, CardBody, CardHeader, Input } from "@/components/ui";
import { removePhoneSchema } from "@/lib/validation/phone";
import { SendCodeButton } from "../_components/send-code-button";
import { removePhoneAction, sendDisableCodeAction } from "../actions";

/** Turning SMS off: the password and a code texted to the number, or a recovery code when the number is lost. */
export function RemovePhoneForm({
  number,
  needsPassword,
  lastFactor,
  initialMethod,
}: {
  number: string;
  needsPassword: boolean;
  /** The phone is the only second factor: removing it turns two-factor authentication off. */
  lastFactor: boolean;
  initialMethod: "sms" | "recovery";
}) {
  const router = useRouter();
  const [method, setMethod] = useState<"sms" | "recovery">(initialMethod);
  const { form, formError, run, navigate, pending } = useActionForm(removePhoneSchema, {
    defaultValues: { method: initialMethod, code: "", password: "" },
  });
  const { register, formState } = form;
  const onSubmit = form.handleSubmit(async (values) => {
    if (needsPassword && !values.password) {
      form.setError("password", { message: "Enter your current password." });
      return;
    }
    const data = await run(() => removePhoneAction(values));
    if (data)
      navigate(() => {
        router.push(`/profile/security?phone=${data.twoFactorOff ? "off" : "removed"}`);
        router.refresh();
      });
  });
  const switchTo = (m: "sms" | "recovery") => {
    setMethod(m);
    form.setValue("method", m);
    form.setValue("code", "");
    form.clearErrors("code");
  };
  return (
    <Card>
      <CardHeader
        title="Confirm it's you"
        description={`Codes will no longer be texted to ${number}. Your other sessions will be signed out.`}
      />
      <CardBody className="space-y-5">
        {lastFactor ? (
          <Alert variant="warning">
            This phone is your only second factor: removing it turns two-factor authentication off, and your recovery
            codes stop working. Anyone who learns your password could then sign in as you.
          </Alert>
        ) : null}
        <form onSubmit={onSubmit} noValidate className="max-w-md space-y-5" aria-label="Turn off text-message codes">
          <ErrorSummary form={form} message={formError} />
          {method === "sms" ? (
            <>
              <SendCodeButton send={() => sendDisableCodeAction({})} label={`Text a code to ${number}`} />
              <FormField label="Code from the text message" htmlFor="code" error={formState.errors.code?.message}>
                <CodeInput id="code" {...register("code")} />
              </FormField>
            </>
          ) : (
            <FormField
              label="One of your recovery codes"
              htmlFor="code"
              description="Each recovery code works once."
              error={formState.errors.code?.message}
            >
              <Input id="code" autoComplete="off" spellCheck={false} className="font-mono" {...register("code")} />
            </FormField>
          )}
          <button
            type="button"
            className="text-sm font-medium text-brand-700 underline-offset-4 hover:underline"
            onClick={() => switchTo(method === "sms" ? "recovery" : "sms")}
          >
            {method === "sms" ? "I no longer have this phone: use a recovery code" : "Text a code to my phone instead"}
          </button>
          {method === "recovery" ? (
            <p className="text-sm text-slate-600">
              Lost the phone and your recovery codes? Ask an administrator of your organization to reset your two-factor
              authentication: you will get an email with a link to set it up again.
            </p>
          ) : null}
          {needsPassword ? (
            <FormField label="Current password" htmlFor="password" error={formState.errors.password?.message}>
              <PasswordInput id="password" autoComplete="current-password" {...register("password")} />
            </FormField>
          ) : null}
          <div className="flex flex-wrap items-center gap-3">
            <SubmitButton pending={pending} variant="danger">
              Turn off text-message codes
            </SubmitButton>
            <ButtonLink href="/profile/security" variant="secondary">
              Keep my phone
            </ButtonLink>
          </div>
        </form>
      </CardBody>
    </Card>
  );
}
