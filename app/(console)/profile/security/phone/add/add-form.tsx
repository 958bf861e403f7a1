"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { CodeInput, ErrorSummary, FormField, PasswordInput, SubmitButton } from "@/components/forms";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button, ButtonLink, Card, CardBody, CardHeader } from "@/components/ui";
import { confirmPhoneSchema, phoneNumberSchema } from "@/lib/validation/phone";
import { RecoveryCodes } from "../../two-factor/_components/recovery-codes";
import { EmailCodeField } from "../../two-factor/setup/email-code-field";
import { type CountryOption, PhoneNumberFields } from "../_components/phone-number-fields";
import { SendCodeButton, type SentCode } from "../_components/send-code-button";
import { confirmEnrolAction, sendEnrolCodeAction } from "../actions";

interface Props {
  email: string;
  countries: CountryOption[];
  defaultCountry: string;
  needsPassword: boolean;
  needsEmailCode: boolean;
  /** Where "continue" leads once the phone is added. */
  continueHref: string;
}

/** Adding a phone: the number (step 1), then the texted code with the password (step 2); recovery codes when it is
 *  the first factor. */
export function AddPhoneForm({ email, countries, defaultCountry, needsPassword, needsEmailCode, continueHref }: Props) {
  const router = useRouter();
  const [sent, setSent] = useState<{ info: SentCode; number: string; country: string } | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const numberForm = useActionForm(phoneNumberSchema, { defaultValues: { country: defaultCountry, number: "" } });
  const codeForm = useActionForm(confirmPhoneSchema, { defaultValues: { code: "", password: "", emailCode: "" } });

  const sendCode = numberForm.form.handleSubmit(async (values) => {
    const info = await numberForm.run(() => sendEnrolCodeAction(values));
    if (info) setSent({ info, number: values.number, country: values.country });
  });
  const confirm = codeForm.form.handleSubmit(async (values) => {
    if (needsPassword && !values.password) {
      codeForm.form.setError("password", { message: "Enter your current password." });
      return;
    }
    const data = await codeForm.run(() => confirmEnrolAction(values));
    if (!data) return;
    if (data.recoveryCodes) setCodes(data.recoveryCodes);
    else
      codeForm.navigate(() => {
        router.push("/profile/security?phone=added");
        router.refresh();
      });
  });

  if (codes) {
    return (
      <Card>
        <CardHeader
          title="Your phone is added: save your recovery codes"
          description="Two-factor authentication is on, and your other sessions were signed out. If you lose this phone, a recovery code is the way back in."
        />
        <CardBody className="space-y-6">
          <RecoveryCodes codes={codes} email={email} />
          <ButtonLink
            href={continueHref}
            onClick={(e) => {
              e.preventDefault();
              router.push(continueHref);
              router.refresh();
            }}
          >
            I have saved my codes
          </ButtonLink>
        </CardBody>
      </Card>
    );
  }

  if (!sent) {
    const { form, formError, pending } = numberForm;
    return (
      <Card>
        <CardHeader
          title="1. Your mobile number"
          description="We text a 6-digit code to it to check that it is yours."
        />
        <CardBody>
          <form onSubmit={sendCode} noValidate className="max-w-xl space-y-5" aria-label="Your mobile number">
            <ErrorSummary form={form} message={formError} />
            <PhoneNumberFields
              countries={countries}
              country={form.register("country")}
              number={form.register("number")}
              errors={{
                country: form.formState.errors.country?.message,
                number: form.formState.errors.number?.message,
              }}
            />
            <div className="flex flex-wrap gap-3">
              <SubmitButton pending={pending}>Text me a code</SubmitButton>
              <ButtonLink href="/profile/security" variant="secondary">
                Cancel
              </ButtonLink>
            </div>
          </form>
        </CardBody>
      </Card>
    );
  }

  const { form, formError, pending } = codeForm;
  return (
    <Card>
      <CardHeader
        title="2. Confirm it's you"
        description={`Enter the code we texted to ${sent.info.sentTo}${needsPassword ? ", and your password" : ""}.`}
      />
      <CardBody className="space-y-5">
        <form onSubmit={confirm} noValidate className="max-w-md space-y-5" aria-label="Confirm your phone">
          <ErrorSummary form={form} message={formError} />
          <FormField label="Code from the text message" htmlFor="sms-code" error={form.formState.errors.code?.message}>
            <CodeInput id="sms-code" {...form.register("code")} />
          </FormField>
          <SendCodeButton
            send={() => sendEnrolCodeAction({ number: sent.number, country: sent.country })}
            sentAlready={sent.info}
          />
          {needsPassword ? (
            <FormField label="Current password" htmlFor="password" error={form.formState.errors.password?.message}>
              <PasswordInput id="password" autoComplete="current-password" {...form.register("password")} />
            </FormField>
          ) : null}
          {needsEmailCode ? (
            <EmailCodeField
              email={email}
              error={form.formState.errors.emailCode?.message}
              {...form.register("emailCode")}
            />
          ) : null}
          <div className="flex flex-wrap items-center gap-3">
            <SubmitButton pending={pending}>Add this phone</SubmitButton>
            <Button type="button" variant="secondary" onClick={() => setSent(null)}>
              Use another number
            </Button>
          </div>
        </form>
      </CardBody>
    </Card>
  );
}
