"use client";

import { useState } from "react";
import { ErrorSummary, FormField, PasswordInput, SubmitButton } from "@/components/forms";
import { useActionForm } from "@/components/forms/use-action-form";
import { Alert, ButtonLink, Card, CardBody, CardHeader } from "@/components/ui";
import { regenerateCodesSchema } from "@/lib/validation/two-factor";
import { OwnFactorField, ownFactorMethodProps } from "../../../../_components/own-factor-field";
import { defaultMethod, type OwnFactorMethod, type OwnFactorMethods } from "../../../../_components/own-factor-methods";
import { RecoveryCodes } from "../_components/recovery-codes";
import { regenerateCodesAction } from "../actions";

/** New recovery codes: the password and the current factor — a code from the app, a texted code (issue 12), or one of
 *  the recovery codes (the person may have lost the phone, e.g. just after signing in with a recovery code). */
export function RegenerateForm({
  email,
  remaining,
  methods,
  preferredMethod,
}: {
  email: string;
  remaining: number;
  methods: OwnFactorMethods;
  preferredMethod?: OwnFactorMethod;
}) {
  const [codes, setCodes] = useState<string[] | null>(null);
  const { form, formError, run } = useActionForm(regenerateCodesSchema, {
    defaultValues: { password: "", method: defaultMethod(methods, preferredMethod), code: "" },
  });
  const { register, formState } = form;
  const onSubmit = form.handleSubmit(async (values) => {
    const data = await run(() => regenerateCodesAction(values));
    if (data) setCodes(data.recoveryCodes);
  });

  if (codes) {
    return (
      <Card>
        <CardHeader
          title="Your new recovery codes"
          description="The old codes no longer work, and your other sessions were signed out."
        />
        <CardBody className="space-y-6">
          <RecoveryCodes codes={codes} email={email} />
          <ButtonLink href="/profile/security">I have saved my codes</ButtonLink>
        </CardBody>
      </Card>
    );
  }
  return (
    <Card>
      <CardHeader
        title="Generate new recovery codes"
        description={`Confirm it's you with your password and ${methods.totp ? "a code from your authenticator app" : "a code texted to your phone"}, or one of your recovery codes.`}
      />
      <CardBody>
        {remaining <= 3 ? (
          <div className="mb-5">
            <Alert variant="warning">
              Only {remaining} recovery codes left. Generate a new set so you cannot get locked out.
            </Alert>
          </div>
        ) : null}
        <form onSubmit={onSubmit} noValidate className="max-w-md space-y-5" aria-label="Generate new recovery codes">
          <ErrorSummary form={form} message={formError} />
          <FormField label="Current password" htmlFor="password" error={formState.errors.password?.message}>
            <PasswordInput id="password" autoComplete="current-password" {...register("password")} />
          </FormField>
          <OwnFactorField
            id="code"
            methods={methods}
            {...ownFactorMethodProps(form)}
            error={formState.errors.code?.message}
            input={register("code")}
          />
          <SubmitButton pending={formState.isSubmitting}>Generate new codes</SubmitButton>
        </form>
      </CardBody>
    </Card>
  );
}
