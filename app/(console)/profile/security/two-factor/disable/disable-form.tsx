"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ErrorSummary, FormField, PasswordInput, SubmitButton } from "@/components/forms";
import { useActionForm } from "@/components/forms/use-action-form";
import { Alert, ButtonLink, Card, CardBody, CardHeader } from "@/components/ui";
import { disableTwoFactorSchema } from "@/lib/validation/two-factor";
import { CurrentFactorField, type CurrentFactorMethod } from "../_components/current-factor-field";
import { disableTwoFactorAction } from "../actions";

/** Turning 2FA off (S39): the password (accounts that have one) and the current factor — an app code or a recovery
 *  code. */
export function DisableForm({ needsPassword }: { needsPassword: boolean }) {
  const router = useRouter();
  const [method, setMethod] = useState<CurrentFactorMethod>("totp");
  const { form, formError, run, navigate, pending } = useActionForm(disableTwoFactorSchema, {
    defaultValues: { password: "", method: "totp", code: "" },
  });
  const { register, formState } = form;
  const onSubmit = form.handleSubmit(async (values) => {
    const data = await run(() => disableTwoFactorAction(values));
    if (data) {
      navigate(() => {
        router.push("/profile/security?twoFactor=off");
        router.refresh();
      });
    }
  });
  return (
    <Card>
      <CardHeader
        title="Confirm it's you"
        description="Your authenticator app, its key and all recovery codes will be removed. Your other sessions will be signed out."
      />
      <CardBody className="space-y-5">
        <Alert variant="warning">Anyone who learns your password could then sign in as you.</Alert>
        <form
          onSubmit={onSubmit}
          noValidate
          className="max-w-md space-y-5"
          aria-label="Turn off two-factor authentication"
        >
          <ErrorSummary form={form} message={formError} />
          {needsPassword ? (
            <FormField label="Current password" htmlFor="password" error={formState.errors.password?.message}>
              <PasswordInput id="password" autoComplete="current-password" {...register("password")} />
            </FormField>
          ) : null}
          <CurrentFactorField
            purpose="disable"
            id="code"
            method={method}
            onMethodChange={(m) => {
              setMethod(m);
              form.setValue("method", m);
              form.setValue("code", "");
              form.clearErrors("code");
            }}
            error={formState.errors.code?.message}
            input={register("code")}
          />
          <div className="flex flex-wrap items-center gap-3">
            <SubmitButton pending={pending} variant="danger">
              Turn off two-factor authentication
            </SubmitButton>
            <ButtonLink href="/profile/security" variant="secondary">
              Keep it on
            </ButtonLink>
          </div>
        </form>
      </CardBody>
    </Card>
  );
}
