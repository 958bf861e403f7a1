"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { CodeInput, ErrorSummary, FormField, PasswordInput, SubmitButton } from "@/components/forms";
import { useActionForm } from "@/components/forms/use-action-form";
import { ButtonLink, Card, CardBody, CardHeader } from "@/components/ui";
import { confirmNewNumberSchema, confirmOldNumberSchema } from "@/lib/validation/phone";
import { type CountryOption, PhoneNumberFields } from "../_components/phone-number-fields";
import { SendCodeButton, type SentCode } from "../_components/send-code-button";
import {
  confirmNewNumberAction,
  confirmOldNumberAction,
  resendNewNumberCodeAction,
  sendChangeOldCodeAction,
} from "../actions";

interface Props {
  currentNumber: string;
  countries: CountryOption[];
  defaultCountry: string;
  needsPassword: boolean;
  /** The server's word on where the change stands: a code already went to a new number after the old one was proven. */
  pending: { newNumber: string } | null;
}

/** Changing the number: a code to the current number, then the new number and a code to it, then the password. */
export function ChangePhoneForm({ currentNumber, countries, defaultCountry, needsPassword, pending }: Props) {
  const router = useRouter();
  const [oldSent, setOldSent] = useState(false);
  const [newNumber, setNewNumber] = useState<string | null>(pending?.newNumber ?? null);
  const [newSent, setNewSent] = useState<SentCode | null>(null);
  const oldForm = useActionForm(confirmOldNumberSchema, {
    defaultValues: { code: "", number: "", country: defaultCountry },
  });
  const newForm = useActionForm(confirmNewNumberSchema, { defaultValues: { code: "", password: "" } });

  const submitOld = oldForm.form.handleSubmit(async (values) => {
    const info = await oldForm.run(() => confirmOldNumberAction(values));
    if (info) {
      setNewSent(info);
      setNewNumber(info.sentTo);
    }
  });
  const submitNew = newForm.form.handleSubmit(async (values) => {
    if (needsPassword && !values.password) {
      newForm.form.setError("password", { message: "Enter your current password." });
      return;
    }
    const data = await newForm.run(() => confirmNewNumberAction(values));
    if (data)
      newForm.navigate(() => {
        router.push("/profile/security?phone=changed");
        router.refresh();
      });
  });

  if (newNumber) {
    const { form, formError, pending: busy } = newForm;
    return (
      <Card>
        <CardHeader
          title="3. Confirm the new number"
          description={`Your current number is confirmed. Enter the code we texted to the new number ${newNumber}${needsPassword ? ", and your password" : ""}.`}
        />
        <CardBody>
          <form onSubmit={submitNew} noValidate className="max-w-md space-y-5" aria-label="Confirm the new number">
            <ErrorSummary form={form} message={formError} />
            <FormField
              label="Code sent to the new number"
              htmlFor="new-code"
              error={form.formState.errors.code?.message}
            >
              <CodeInput id="new-code" {...form.register("code")} />
            </FormField>
            <SendCodeButton
              send={() => resendNewNumberCodeAction({})}
              sentAlready={newSent}
              label="Text a new code to the new number"
            />
            {needsPassword ? (
              <FormField label="Current password" htmlFor="password" error={form.formState.errors.password?.message}>
                <PasswordInput id="password" autoComplete="current-password" {...form.register("password")} />
              </FormField>
            ) : null}
            <div className="flex flex-wrap gap-3">
              <SubmitButton pending={busy}>Change number</SubmitButton>
              <ButtonLink href="/profile/security" variant="secondary">
                Cancel
              </ButtonLink>
            </div>
          </form>
        </CardBody>
      </Card>
    );
  }

  const { form, formError, pending: busy } = oldForm;
  return (
    <Card>
      <CardHeader
        title="1. Confirm your current number"
        description={`First we text a code to the number you use now, ${currentNumber}: a change needs proof from the old number.`}
      />
      <CardBody className="space-y-6">
        <SendCodeButton
          send={() => sendChangeOldCodeAction({})}
          onSent={() => setOldSent(true)}
          label={`Text a code to ${currentNumber}`}
          variant="primary"
        />
        {oldSent ? (
          <form
            onSubmit={submitOld}
            noValidate
            className="max-w-xl space-y-5"
            aria-label="Your current number and the new one"
          >
            <ErrorSummary form={form} message={formError} />
            <FormField
              label="Code sent to your current number"
              htmlFor="old-code"
              error={form.formState.errors.code?.message}
            >
              <CodeInput id="old-code" {...form.register("code")} />
            </FormField>
            <h3 className="pt-2 text-sm font-semibold text-slate-900">2. Your new number</h3>
            <PhoneNumberFields
              countries={countries}
              country={form.register("country")}
              number={form.register("number")}
              numberLabel="New mobile number"
              errors={{
                country: form.formState.errors.country?.message,
                number: form.formState.errors.number?.message,
              }}
            />
            <SubmitButton pending={busy}>Text a code to the new number</SubmitButton>
          </form>
        ) : null}
        <details className="rounded-lg border border-slate-200 p-4 text-sm text-slate-700">
          <summary className="cursor-pointer font-medium text-brand-700">I no longer have the old number</summary>
          <div className="mt-3 space-y-2">
            <p>
              Without a code from the old number the number cannot be changed: that check is what stops someone who
              learned your password from moving your codes to their phone.
            </p>
            <p>
              Instead, <strong>remove the phone with one of your recovery codes</strong>, then add the new number. Lost
              your recovery codes too? Ask an administrator of your organization to reset your two-factor
              authentication: you get an email with a link to set it up again.
            </p>
            <ButtonLink href="/profile/security/phone/remove?with=recovery" variant="secondary" size="sm">
              Remove the phone with a recovery code
            </ButtonLink>
          </div>
        </details>
      </CardBody>
    </Card>
  );
}
