"use client";

import type { ComponentProps } from "react";
import { CodeInput, FormField } from "@/components/forms";
import { Input } from "@/components/ui";

export type CurrentFactorMethod = "totp" | "recovery";

/**
 * The proof of the factor a person already has (S39), for moving 2FA to a new app or turning it off: a code from the
 * current authenticator app, or — when the phone is lost — one of the recovery codes, with what to do when both are
 * gone. The input's props (e.g. `{...register("currentCode")}`) are passed through.
 */
export function CurrentFactorField({
  id,
  purpose,
  method,
  onMethodChange,
  error,
  input,
}: {
  id: string;
  /** What the proof is for: moving to a new app, turning 2FA off, changing the password, or new recovery codes. */
  purpose: "replace" | "disable" | "password" | "regenerate";
  method: CurrentFactorMethod;
  onMethodChange: (method: CurrentFactorMethod) => void;
  error?: string;
  input: ComponentProps<"input">;
}) {
  return (
    <div className="space-y-2">
      {method === "totp" ? (
        <FormField
          label={
            purpose === "regenerate"
              ? "6-digit code from your app"
              : purpose === "password"
                ? "Code from your authenticator app"
                : "Code from your current authenticator app"
          }
          htmlFor={id}
          description={purpose === "replace" ? "The app you use today, on your old phone." : undefined}
          error={error}
        >
          <CodeInput id={id} {...input} />
        </FormField>
      ) : (
        <FormField
          label="One of your recovery codes"
          htmlFor={id}
          description={
            purpose === "replace"
              ? "Each recovery code works once. After the switch you get a new set of 10."
              : purpose === "regenerate"
                ? "Each recovery code works once. The new set of 10 replaces all of the old codes."
                : "Each recovery code works once."
          }
          error={error}
        >
          <Input id={id} autoComplete="off" spellCheck={false} className="font-mono" {...input} />
        </FormField>
      )}
      <button
        type="button"
        className="text-sm font-medium text-brand-700 underline-offset-4 hover:underline"
        onClick={() => onMethodChange(method === "totp" ? "recovery" : "totp")}
      >
        {method === "totp" ? "I no longer have my phone: use a recovery code" : "Use my current authenticator app"}
      </button>
      {method === "recovery" ? (
        <p className="text-sm text-slate-600">
          Lost your phone and your recovery codes? Ask an administrator of your organization to reset your two-factor
          authentication: you will get an email with a link to set it up again.
        </p>
      ) : null}
    </div>
  );
}
