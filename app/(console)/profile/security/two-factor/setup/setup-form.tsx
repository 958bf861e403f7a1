"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { QRCodeSVG } from "qrcode.react";
import { useState } from "react";
import { CodeInput, ErrorSummary, FormField, PasswordInput, SubmitButton } from "@/components/forms";
import { useActionForm } from "@/components/forms/use-action-form";
import { ButtonLink, buttonClasses, Card, CardBody, CardHeader } from "@/components/ui";
import { confirmEnrollmentFormSchema } from "@/lib/validation/two-factor";
import { CurrentFactorField, type CurrentFactorMethod } from "../_components/current-factor-field";
import { RecoveryCodes } from "../_components/recovery-codes";
import { cancelEnrollmentAction, confirmEnrollmentAction } from "../actions";
import { EmailCodeField } from "./email-code-field";
import { ManualKey } from "./manual-key";
import { useSetupDone } from "./setup-state";

interface Props {
  email: string;
  otpauthUri: string;
  secretForDisplay: string;
  expiresAt: string;
  reenrolling: boolean;
  /** What confirming needs besides the app code (decided by the server: lib/services/two-factor/enrollment.ts).
   *  `linkFlow`: the session was started from an emailed link, which already proved the mailbox and the password. */
  needs: { password: boolean; emailCode: boolean; currentFactor: boolean; linkFlow?: boolean };
  /** Where "continue" leads after the codes were saved: the workspace when an organization required this setup. */
  continueHref: string;
}

export function SetupForm({ email, otpauthUri, secretForDisplay, expiresAt, reenrolling, needs, continueHref }: Props) {
  const router = useRouter();
  const [codes, setCodes] = useState<string[] | null>(null);
  const [schema] = useState(() => confirmEnrollmentFormSchema(needs));
  const { form, formError, run } = useActionForm(schema, {
    defaultValues: { password: "", code: "", emailCode: "", currentMethod: "totp", currentCode: "" },
  });
  const { register, formState } = form;
  const [currentMethod, setCurrentMethod] = useState<CurrentFactorMethod>("totp");
  const { setDone } = useSetupDone();

  const onSubmit = form.handleSubmit(async (values) => {
    const data = await run(() => confirmEnrollmentAction(values));
    // No router.refresh() here: the server page no longer has a pending secret and would unmount this form
    // (and the codes, which are shown only once). Leaving through "I have saved my codes" loads fresh data.
    if (data) {
      setCodes(data.recoveryCodes);
      setDone(true); // the page heading and the tab's title now say that 2FA is on
    }
  });

  if (codes) {
    return (
      <Card>
        <CardHeader
          title="Save your recovery codes"
          description={
            reenrolling
              ? "Your old app and your old recovery codes no longer work, and your other sessions were signed out. Save your new recovery codes before you continue."
              : "Your other sessions were signed out. Save your recovery codes before you continue."
          }
        />
        <CardBody className="space-y-6">
          <RecoveryCodes codes={codes} email={email} />
          <ButtonLink
            href={continueHref}
            onClick={(e) => {
              // The console layout (restricted shell, policy banner) was rendered before setup: refresh it too.
              e.preventDefault();
              router.push(continueHref);
              router.refresh();
            }}
          >
            {continueHref === "/dashboard"
              ? "I have saved my codes: continue to the workspace"
              : "I have saved my codes"}
          </ButtonLink>
        </CardBody>
      </Card>
    );
  }

  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Card>
        <CardHeader
          title="1. Add Twofold to your app"
          description="In your authenticator app, add an account and scan this code, or enter the key below."
        />
        <CardBody className="space-y-4">
          {/* On a phone, the app is on this very screen: one tap adds the account (the otpauth:// link). */}
          <a href={otpauthUri} className={buttonClasses({ className: "w-full sm:hidden" })} data-testid="open-in-app">
            Open in authenticator app
          </a>
          <div className="inline-block rounded-lg border border-slate-200 bg-white p-3">
            <QRCodeSVG
              value={otpauthUri}
              size={192}
              level="M"
              title={`QR code to add Twofold (${email}) to an authenticator app`}
            />
          </div>
          <ManualKey secretForDisplay={secretForDisplay} expiresAt={expiresAt} />
        </CardBody>
      </Card>
      <Card>
        <CardHeader
          title="2. Confirm"
          description={
            needs.currentFactor
              ? `Prove it is you: ${needs.password ? "your password, " : ""}a code from your current app (or a recovery code), and the 6-digit code the new app shows now.`
              : needs.emailCode
                ? `Prove it is you: ${needs.password ? "your password, " : ""}a code we email to ${email}, and the 6-digit code your app shows now.`
                : needs.password
                  ? "Enter your password and the 6-digit code your app shows now."
                  : "Enter the 6-digit code your app shows now."
          }
        />
        <CardBody>
          <form onSubmit={onSubmit} noValidate className="space-y-5" aria-label="Confirm authenticator app">
            <ErrorSummary form={form} message={formError} />
            {needs.password ? (
              <FormField label="Current password" htmlFor="password" error={formState.errors.password?.message}>
                <PasswordInput id="password" autoComplete="current-password" {...register("password")} />
              </FormField>
            ) : null}
            {needs.emailCode ? (
              <EmailCodeField email={email} error={formState.errors.emailCode?.message} {...register("emailCode")} />
            ) : null}
            {needs.currentFactor ? (
              <CurrentFactorField
                purpose="replace"
                id="currentCode"
                method={currentMethod}
                onMethodChange={(m) => {
                  setCurrentMethod(m);
                  form.setValue("currentMethod", m);
                  form.setValue("currentCode", "");
                  form.clearErrors("currentCode");
                }}
                error={formState.errors.currentCode?.message}
                input={register("currentCode")}
              />
            ) : null}
            <FormField
              label={needs.currentFactor ? "6-digit code from the new app" : "6-digit code from the app"}
              htmlFor="code"
              error={formState.errors.code?.message}
            >
              <CodeInput id="code" {...register("code")} />
            </FormField>
            {reenrolling ? (
              <p className="text-sm text-slate-700" data-testid="replace-notice">
                Switching also <strong>replaces your recovery codes</strong>: your current codes stop working and you
                will see 10 new ones to save. Your old app stops working too.
              </p>
            ) : null}
            <div className="flex flex-wrap items-center gap-3">
              <SubmitButton pending={formState.isSubmitting}>
                {reenrolling ? "Switch to this app" : "Turn on two-factor authentication"}
              </SubmitButton>
              <button
                type="button"
                className="text-sm font-medium text-slate-700 underline-offset-4 hover:underline"
                onClick={async () => {
                  await cancelEnrollmentAction({});
                  router.push("/profile/security");
                  router.refresh();
                }}
              >
                Cancel
              </button>
            </div>
            {formError?.includes("expired") ? (
              <p className="text-sm">
                <Link
                  href="/profile/security/two-factor/setup"
                  className="font-medium text-brand-700 underline-offset-4 hover:underline"
                  onClick={() => router.refresh()}
                >
                  Start again
                </Link>
              </p>
            ) : null}
          </form>
        </CardBody>
      </Card>
    </div>
  );
}
