"use client";

import { useRouter } from "next/navigation";
import { useMemo } from "react";
import { FormError, FormField, PasswordInput, SubmitButton } from "@/components/forms";
import { useActionForm } from "@/components/forms/use-action-form";
import { Input } from "@/components/ui";
import { PASSWORD_MIN, resetPasswordFormSchema } from "@/lib/validation/auth";
import { resetPasswordAction } from "../../forgot-password/actions";

export function ResetPasswordForm({ token, email, name }: { token: string; email: string; name: string }) {
  const router = useRouter();
  const schema = useMemo(() => resetPasswordFormSchema({ email, name }), [email, name]);
  const { form, formError, run } = useActionForm(schema, { defaultValues: { token, password: "" } });
  const { register, formState } = form;

  const onSubmit = form.handleSubmit(async (values) => {
    const data = await run(() => resetPasswordAction(values));
    if (!data) return;
    router.replace(`/sign-in?reset=done`);
    router.refresh();
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5" aria-label="Choose a new password">
      <FormError message={formError} />
      <FormField label="Email" htmlFor="email">
        <Input id="email" type="email" value={email} readOnly autoComplete="username" />
      </FormField>
      <FormField
        label="New password"
        htmlFor="password"
        description={`At least ${PASSWORD_MIN} characters, not your name or email. A passphrase of a few words is easiest to remember.`}
        error={formState.errors.password?.message}
      >
        <PasswordInput id="password" autoComplete="new-password" autoFocus {...register("password")} />
      </FormField>
      <SubmitButton pending={formState.isSubmitting} className="w-full">
        Set new password
      </SubmitButton>
    </form>
  );
}
