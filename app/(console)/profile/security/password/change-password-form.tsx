"use client";

import { useRouter } from "next/navigation";
import { useMemo } from "react";
import { FormError, FormField, PasswordInput, SubmitButton } from "@/components/forms";
import { useActionForm } from "@/components/forms/use-action-form";
import { ButtonLink, Card, CardBody, CardHeader } from "@/components/ui";
import { changePasswordFormSchema, PASSWORD_MIN } from "@/lib/validation/auth";
import { OwnFactorField, ownFactorMethodProps } from "../../../_components/own-factor-field";
import { defaultMethod, type OwnFactorMethods } from "../../../_components/own-factor-methods";
import { changePasswordAction } from "./actions";

/** Profile > Security > Change password (issue 10 item 1): every field's error at once, on the client and from the
 *  server (the same rules). */
export function ChangePasswordForm({
  email,
  name,
  methods,
}: {
  email: string;
  name: string;
  /** The person's own second factors (issue 12: an app, a phone, or both); none: no code is asked. */
  methods: OwnFactorMethods;
}) {
  const router = useRouter();
  const twoFactor = methods.totp || methods.sms !== null;
  const schema = useMemo(() => changePasswordFormSchema({ email, name, twoFactor }), [email, name, twoFactor]);
  const { form, formError, run } = useActionForm(schema, {
    defaultValues: { currentPassword: "", newPassword: "", method: defaultMethod(methods), code: "" },
  });
  const { register, formState } = form;
  const onSubmit = form.handleSubmit(async (values) => {
    const input = twoFactor ? values : { currentPassword: values.currentPassword, newPassword: values.newPassword };
    const data = await run(() => changePasswordAction(input));
    if (data) {
      router.push(`/profile/security?password=changed&others=${data.otherSessionsRevoked}`);
      router.refresh();
    }
  });
  return (
    <Card>
      <CardHeader
        title="Choose a new password"
        description={
          twoFactor
            ? `Confirm it's you with your current password and ${methods.totp ? "a code from your authenticator app" : "a code texted to your phone"} (or a recovery code).`
            : "Confirm it's you with your current password."
        }
      />
      <CardBody>
        <form onSubmit={onSubmit} noValidate className="max-w-md space-y-5" aria-label="Change password">
          <FormError message={formError} />
          <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
          <FormField
            label="Current password"
            htmlFor="currentPassword"
            error={formState.errors.currentPassword?.message}
          >
            <PasswordInput id="currentPassword" autoComplete="current-password" {...register("currentPassword")} />
          </FormField>
          <FormField
            label="New password"
            htmlFor="newPassword"
            description={`At least ${PASSWORD_MIN} characters, not your name or email. A passphrase of a few words is easiest to remember.`}
            error={formState.errors.newPassword?.message}
          >
            <PasswordInput id="newPassword" autoComplete="new-password" {...register("newPassword")} />
          </FormField>
          {twoFactor ? (
            <OwnFactorField
              appLabel="Code from your authenticator app"
              id="code"
              methods={methods}
              {...ownFactorMethodProps(form)}
              error={formState.errors.code?.message}
              input={register("code")}
            />
          ) : null}
          <div className="flex flex-wrap items-center gap-3">
            <SubmitButton pending={formState.isSubmitting}>Change password</SubmitButton>
            <ButtonLink href="/profile/security" variant="secondary">
              Cancel
            </ButtonLink>
          </div>
        </form>
      </CardBody>
    </Card>
  );
}
