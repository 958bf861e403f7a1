"use client";

import { useRouter } from "next/navigation";
import { ErrorSummary, FormField, PasswordInput, SubmitButton } from "@/components/forms";
import { useActionForm } from "@/components/forms/use-action-form";
import { Input } from "@/components/ui";
import { reEnrollSchema } from "@/lib/validation/two-factor";
import { reEnrollAction } from "../actions";

const SETUP = "/profile/security/two-factor/setup";

export function ReEnrollForm({ token, email }: { token: string; email: string }) {
  const router = useRouter();
  const { form, formError, run, navigate, pending } = useActionForm(reEnrollSchema, {
    defaultValues: { token, password: "" },
  });
  const { register, formState } = form;

  const onSubmit = form.handleSubmit(async (values) => {
    const data = await run(() => reEnrollAction(values));
    if (!data) return;
    navigate(() => {
      if (data.requirement === "second-factor") {
        // They set up a new authenticator in the meantime: an ordinary second step.
        router.push(`/sign-in/verify?callbackUrl=${encodeURIComponent(SETUP)}`);
        return;
      }
      router.replace(SETUP);
      router.refresh();
    });
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5" aria-label="Set up two-factor authentication again">
      <ErrorSummary form={form} message={formError} />
      <FormField label="Email" htmlFor="email">
        <Input id="email" type="email" value={email} readOnly autoComplete="username" />
      </FormField>
      <FormField label="Password" htmlFor="password" error={formState.errors.password?.message}>
        <PasswordInput id="password" autoComplete="current-password" autoFocus {...register("password")} />
      </FormField>
      <SubmitButton pending={pending} className="w-full">
        Continue to setup
      </SubmitButton>
    </form>
  );
}
