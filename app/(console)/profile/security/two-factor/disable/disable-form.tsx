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
export function DisableForm({
  needsPassword,
  phoneStays,
}: {
  needsPassword: boolean;
  /** The masked phone that keeps 2FA on once the app is removed (issue 12), or null: 2FA goes off. */
  phoneStays: string | null;
}) {
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
        router.push(`/profile/security?twoFactor=${phoneStays ? "app-removed" : "off"}`);
        router.refresh();
      });
    }
  });
  return (
    <Card>
      <CardHeader
        title="Confirm it's you"
        description={
          phoneStays
            ? "Your authenticator app and its key will be removed; your recovery codes stay. Your other sessions will be signed out."
            : "Your authenticator app, its key and all recovery codes will be removed. Your other sessions will be signed out."
        }
      />
      <CardBody className="space-y-5">
        {phoneStays ? (
          <Alert variant="info">
            Sign-ins will ask for a code texted to {phoneStays}. An app is the stronger second factor.
          </Alert>
        ) : (
          <Alert variant="warning">Anyone who learns your password could then sign in as you.</Alert>
        )}
        <form
          onSubmit={onSubmit}
          noValidate
          className="max-w-md space-y-5"
          aria-label={phoneStays ? "Remove the authenticator app" : "Turn off two-factor authentication"}
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
              {phoneStays ? "Remove the app" : "Turn off two-factor authentication"}
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
