"use client";

import type { ComponentProps } from "react";
import type { FieldValues, UseFormReturn } from "react-hook-form";
import { CodeInput, FormField, MethodPicker } from "@/components/forms";
import { Input } from "@/components/ui";
import { SendCodeButton } from "../profile/security/phone/_components/send-code-button";
import { sendStepUpCodeAction } from "../step-up-action";
import { availableMethods, type OwnFactorMethod, type OwnFactorMethods } from "./own-factor-methods";

/**
 * The `method` and `onMethodChange` of an OwnFactorField in a form whose fields include `method` and `code`: the method
 * is the form's own value, and switching it empties the code and its error.
 */
export function ownFactorMethodProps<T extends FieldValues, C, O>(form: UseFormReturn<T, C, O>) {
  const f = form as unknown as UseFormReturn<{ method: OwnFactorMethod; code: string }>;
  return {
    method: f.watch("method"),
    onMethodChange: (m: OwnFactorMethod) => {
      f.setValue("method", m);
      f.setValue("code", "");
      f.clearErrors("code");
    },
  };
}

const LABELS: Record<OwnFactorMethod, string> = { totp: "App", sms: "Text message", recovery: "Recovery code" };

/**
 * One's own current second factor (S26, S39; issue 12), for the step-up form, a password change, new recovery codes
 * and an ownership transfer: the one method control of the sign-in's second step (only the methods the person has),
 * then the code — from the app, from a text ("Text me a code", resend after 30 s with a countdown), or a recovery code.
 * The input's props (`{...register("code")}`) are passed through.
 */
export function OwnFactorField({
  id,
  methods,
  method,
  onMethodChange,
  error,
  input,
  appLabel = "6-digit code from your app",
}: {
  id: string;
  /** The app code's label (the step-up and password forms say "Code from your authenticator app"). */
  appLabel?: string;
  methods: OwnFactorMethods;
  method: OwnFactorMethod;
  onMethodChange: (m: OwnFactorMethod) => void;
  error?: string | undefined;
  input: ComponentProps<"input">;
}) {
  const available = availableMethods(methods);
  return (
    <div className="space-y-3">
      {available.length > 1 ? (
        <MethodPicker
          legend="Confirm with"
          options={available.map((m) => ({ value: m, label: LABELS[m] }))}
          value={method}
          onChange={onMethodChange}
        />
      ) : null}
      {method === "totp" ? (
        <FormField label={appLabel} htmlFor={id} error={error}>
          <CodeInput id={id} className="max-w-48" {...input} />
        </FormField>
      ) : method === "sms" ? (
        <div className="space-y-3">
          <SendCodeButton send={() => sendStepUpCodeAction({})} label={`Text me a code to •••• ${methods.sms ?? ""}`} />
          <FormField label="Code from the text message" htmlFor={id} error={error}>
            <CodeInput id={id} className="max-w-48" {...input} />
          </FormField>
        </div>
      ) : (
        <div className="space-y-2">
          <FormField
            label="One of your recovery codes"
            htmlFor={id}
            description="Each recovery code works once."
            error={error}
          >
            <Input id={id} autoComplete="off" spellCheck={false} className="font-mono" {...input} />
          </FormField>
          <p className="text-sm text-slate-600">
            Lost your phone and your recovery codes? Ask an administrator of your organization to reset your two-factor
            authentication.
          </p>
        </div>
      )}
    </div>
  );
}
