"use client";

import { useRouter } from "next/navigation";
import { ErrorSummary, FormField, PasswordInput, SubmitButton } from "@/components/forms";
import { useActionForm } from "@/components/forms/use-action-form";
import { Input } from "@/components/ui";
import { acceptInvitationSchema, PASSWORD_MIN } from "@/lib/validation/auth";
import { acceptInvitationAction } from "../../actions";

export function AcceptInvitationForm({
  token,
  email,
  existingAccount,
}: {
  token: string;
  email: string;
  existingAccount: boolean;
}) {
  const router = useRouter();
  const { form, formError, run, navigate, pending } = useActionForm(acceptInvitationSchema, {
    defaultValues: { token, name: existingAccount ? undefined : "", password: "" },
  });
  const { register, formState } = form;

  const onSubmit = form.handleSubmit(async (values) => {
    const data = await run(() => acceptInvitationAction(values));
    if (!data) return;
    // An existing account with 2FA still passes its second step (S17).
    if (data.requirement === "second-factor")
      return navigate(() => router.push(`/sign-in/verify?callbackUrl=${encodeURIComponent(data.next)}`));
    navigate(() => {
      router.replace(data.next);
      router.refresh();
    });
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5" aria-label="Accept invitation">
      <ErrorSummary form={form} message={formError} />
      <FormField label="Email" htmlFor="email">
        <Input id="email" type="email" value={email} readOnly autoComplete="username" />
      </FormField>
      {existingAccount ? (
        <FormField
          label="Your password"
          htmlFor="password"
          description="You already have a Twofold account: confirm it's you."
          error={formState.errors.password?.message}
        >
          <PasswordInput id="password" autoComplete="current-password" autoFocus {...register("password")} />
        </FormField>
      ) : (
        <>
          <FormField label="Your name" htmlFor="name" error={formState.errors.name?.message}>
            <Input id="name" autoComplete="name" autoFocus {...register("name")} />
          </FormField>
          <FormField
            label="Choose a password"
            htmlFor="password"
            description={`At least ${PASSWORD_MIN} characters.`}
            error={formState.errors.password?.message}
          >
            <PasswordInput id="password" autoComplete="new-password" {...register("password")} />
          </FormField>
        </>
      )}
      <SubmitButton pending={pending} className="w-full">
        {existingAccount ? "Join organization" : "Set password and join"}
      </SubmitButton>
    </form>
  );
}
