"use client";

import { useRouter } from "next/navigation";
import { CodeInput, FormError, FormField, SubmitButton } from "@/components/forms";
import { useActionForm } from "@/components/forms/use-action-form";
import { Alert, ButtonLink, Card, CardBody, CardHeader } from "@/components/ui";
import { disableTwoFactorSchema } from "@/lib/validation/two-factor";
import { disableTwoFactorAction } from "../actions";

export function DisableForm() {
  const router = useRouter();
  const { form, formError, run } = useActionForm(disableTwoFactorSchema, { defaultValues: { code: "" } });
  const { register, formState } = form;
  const onSubmit = form.handleSubmit(async (values) => {
    const data = await run(() => disableTwoFactorAction(values));
    if (data) {
      router.push("/profile/security?twoFactor=off");
      router.refresh();
    }
  });
  return (
    <Card>
      <CardHeader
        title="Confirm with a code"
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
          <FormError message={formError} />
          <FormField label="6-digit code from your app" htmlFor="code" error={formState.errors.code?.message}>
            <CodeInput id="code" {...register("code")} />
          </FormField>
          <div className="flex flex-wrap items-center gap-3">
            <SubmitButton pending={formState.isSubmitting} variant="danger">
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
