"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ErrorSummary, FormField, PasswordInput, SubmitButton } from "@/components/forms";
import { useActionForm } from "@/components/forms/use-action-form";
import { Alert, Button, Select } from "@/components/ui";
import { transferOwnershipSchema } from "@/lib/validation/ownership";
import { OwnFactorField, ownFactorMethodProps } from "../../_components/own-factor-field";
import { defaultMethod, type OwnFactorMethods } from "../../_components/own-factor-methods";
import { transferOwnershipAction } from "./actions";

export interface Candidate {
  membershipId: string;
  name: string;
  email: string;
}

/** Two steps in one form: choose the administrator, then read what changes and confirm with password + code. */
export function TransferOwnershipForm({
  candidates,
  organizationName,
  methods,
}: {
  candidates: Candidate[];
  organizationName: string;
  /** The owner's own second factors (issue 12: an owner whose only factor is a phone confirms with a texted code). */
  methods: OwnFactorMethods;
}) {
  const router = useRouter();
  const [step, setStep] = useState<"choose" | "confirm">("choose");
  const { form, formError, setFormError, run, navigate, pending } = useActionForm(transferOwnershipSchema, {
    defaultValues: { membershipId: "", password: "", method: defaultMethod(methods), code: "" },
  });
  const { register, formState, watch } = form;
  const chosen = candidates.find((c) => c.membershipId === watch("membershipId"));

  const onSubmit = form.handleSubmit(async (values) => {
    const data = await run(() => transferOwnershipAction(values));
    if (data) {
      navigate(() => {
        router.replace("/settings/owner?transferred=1");
        router.refresh();
      });
    }
  });

  async function next() {
    if (await form.trigger("membershipId")) {
      setFormError(null);
      setStep("confirm");
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate className="max-w-xl space-y-5" aria-label="Transfer ownership">
      {step === "choose" ? (
        <>
          <FormField
            label="New owner"
            htmlFor="membershipId"
            description="Only administrators who have turned on two-factor authentication are listed."
            error={formState.errors.membershipId?.message}
          >
            <Select id="membershipId" {...register("membershipId")}>
              <option value="">Choose an administrator…</option>
              {candidates.map((c) => (
                <option key={c.membershipId} value={c.membershipId}>
                  {c.name} ({c.email})
                </option>
              ))}
            </Select>
          </FormField>
          <Button variant="secondary" onClick={next}>
            Continue
          </Button>
        </>
      ) : (
        <>
          <Alert variant="warning" title={`Make ${chosen?.name ?? "this administrator"} the owner?`}>
            <ul className="mt-1 list-disc space-y-1 pl-5">
              <li>
                {chosen ? `${chosen.name} (${chosen.email})` : "They"} becomes the owner of {organizationName}.
              </li>
              <li>You become an administrator. You keep access, but you can no longer transfer ownership.</li>
              <li>Only the new owner can give ownership back. Both of you get an email, and it is in the audit log.</li>
            </ul>
          </Alert>
          <ErrorSummary form={form} message={formError} />
          <FormField label="Your current password" htmlFor="password" error={formState.errors.password?.message}>
            <PasswordInput id="password" autoComplete="current-password" {...register("password")} />
          </FormField>
          <OwnFactorField
            id="code"
            methods={methods}
            {...ownFactorMethodProps(form)}
            error={formState.errors.code?.message}
            input={register("code")}
          />
          <div className="flex flex-wrap gap-3">
            <SubmitButton variant="danger" pending={pending}>
              Transfer ownership
            </SubmitButton>
            <Button
              variant="ghost"
              disabled={pending}
              onClick={() => {
                form.clearErrors();
                setFormError(null);
                setStep("choose");
              }}
            >
              Back
            </Button>
          </div>
        </>
      )}
    </form>
  );
}
