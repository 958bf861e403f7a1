"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ErrorSummary, FormField, SubmitButton } from "@/components/forms";
import { useActionForm } from "@/components/forms/use-action-form";
import { Alert, Input, Select } from "@/components/ui";
import { inviteSchema } from "@/lib/validation/teammates";
import { inviteAction } from "../../actions";

export function InviteForm() {
  const router = useRouter();
  const [sent, setSent] = useState<string | null>(null);
  const { form, formError, run } = useActionForm(inviteSchema, {
    defaultValues: { email: "", role: "MEMBER", type: "EMPLOYEE" },
  });
  const { register, formState } = form;

  const onSubmit = form.handleSubmit(async (values) => {
    setSent(null);
    const data = await run(() => inviteAction(values));
    if (!data) return;
    setSent(data.email);
    form.reset({ email: "", role: values.role, type: values.type });
    router.refresh();
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Invite a teammate">
      <ErrorSummary form={form} message={formError} />
      {sent ? <Alert variant="success">Invitation sent to {sent}.</Alert> : null}
      <div className="grid gap-4 sm:grid-cols-[2fr_1fr_1fr]">
        <FormField label="Email address" htmlFor="invite-email" error={formState.errors.email?.message}>
          <Input
            id="invite-email"
            type="email"
            autoComplete="off"
            placeholder="name@company.com"
            {...register("email")}
          />
        </FormField>
        <FormField label="Role" htmlFor="invite-role" error={formState.errors.role?.message}>
          <Select id="invite-role" {...register("role")}>
            <option value="MEMBER">Member</option>
            <option value="ADMIN">Administrator</option>
          </Select>
        </FormField>
        <FormField label="Type" htmlFor="invite-type" error={formState.errors.type?.message}>
          <Select id="invite-type" {...register("type")}>
            <option value="EMPLOYEE">Employee</option>
            <option value="CLIENT">Client</option>
            <option value="CONTRACTOR">Contractor</option>
          </Select>
        </FormField>
      </div>
      <SubmitButton pending={formState.isSubmitting}>Send invitation</SubmitButton>
    </form>
  );
}
