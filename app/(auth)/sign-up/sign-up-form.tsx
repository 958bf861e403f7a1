"use client";

import { useRouter } from "next/navigation";
import { ErrorSummary, FormField, PasswordInput, SubmitButton } from "@/components/forms";
import { useActionForm } from "@/components/forms/use-action-form";
import { Input } from "@/components/ui";
import { PASSWORD_MIN, signUpSchema } from "@/lib/validation/auth";
import { signUpAction } from "../actions";

export function SignUpForm() {
  const router = useRouter();
  const { form, formError, run, navigate, pending } = useActionForm(signUpSchema, {
    defaultValues: { name: "", email: "", password: "", organizationName: "" },
  });
  const { register, formState } = form;

  const onSubmit = form.handleSubmit(async (values) => {
    const data = await run(() => signUpAction(values));
    if (!data) return;
    navigate(() => {
      router.replace("/dashboard");
      router.refresh();
    });
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5" aria-label="Create your organization">
      <ErrorSummary form={form} message={formError} />
      <FormField label="Your name" htmlFor="name" error={formState.errors.name?.message}>
        <Input id="name" autoComplete="name" autoFocus {...register("name")} />
      </FormField>
      <FormField label="Work email" htmlFor="email" error={formState.errors.email?.message}>
        <Input id="email" type="email" autoComplete="email" {...register("email")} />
      </FormField>
      <FormField
        label="Password"
        htmlFor="password"
        description={`At least ${PASSWORD_MIN} characters. A passphrase of a few words is easiest to remember.`}
        error={formState.errors.password?.message}
      >
        <PasswordInput id="password" autoComplete="new-password" {...register("password")} />
      </FormField>
      <FormField
        label="Organization name"
        htmlFor="organizationName"
        error={formState.errors.organizationName?.message}
      >
        <Input id="organizationName" autoComplete="organization" {...register("organizationName")} />
      </FormField>
      <SubmitButton pending={pending} className="w-full">
        Create organization
      </SubmitButton>
    </form>
  );
}
