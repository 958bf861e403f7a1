"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { ErrorSummary, FormField, PasswordInput, SubmitButton } from "@/components/forms";
import { useActionForm } from "@/components/forms/use-action-form";
import { Input } from "@/components/ui";
import { signInSchema } from "@/lib/validation/auth";
import { signInAction } from "../actions";

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const { form, formError, run, navigate, pending } = useActionForm(signInSchema, {
    defaultValues: { email: "", password: "" },
  });
  const { register, formState } = form;

  const onSubmit = form.handleSubmit(async (values) => {
    const data = await run(() => signInAction(values));
    if (!data) return;
    navigate(() => {
      if (data.requirement === "second-factor") {
        router.push(`/sign-in/verify?callbackUrl=${encodeURIComponent(callbackUrl)}`);
        return;
      }
      router.replace(callbackUrl);
      router.refresh();
    });
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5" aria-label="Sign in">
      <ErrorSummary form={form} message={formError} />
      <FormField label="Email" htmlFor="email" error={formState.errors.email?.message}>
        <Input id="email" type="email" autoComplete="username" autoFocus {...register("email")} />
      </FormField>
      <FormField label="Password" htmlFor="password" error={formState.errors.password?.message}>
        <PasswordInput id="password" autoComplete="current-password" {...register("password")} />
      </FormField>
      <p className="-mt-2 text-right text-sm">
        {/* The press keeps the focus in the form: leaving the email field would validate it (onTouched), show its
            error and move this link down under the pointer before the click lands. */}
        <Link
          className="font-medium text-brand-700 underline-offset-4 hover:underline"
          href="/forgot-password"
          onMouseDown={(e) => e.preventDefault()}
        >
          Forgot password?
        </Link>
      </p>
      <SubmitButton pending={pending} className="w-full">
        Sign in
      </SubmitButton>
    </form>
  );
}
