"use client";

import { type ComponentProps, useState } from "react";
import { CodeInput, FormField } from "@/components/forms";
import { Button } from "@/components/ui";
import { sendEmailCodeAction } from "../actions";

/**
 * The emailed one-time code that a forced enrollment needs (issue 4 §5): a button that mails it (at most once a minute)
 * and the field to type it. Forwards the input props, so `{...register("emailCode")}` works.
 */
export function EmailCodeField({
  email,
  error,
  ...input
}: { email: string; error?: string } & ComponentProps<"input">) {
  const [state, setState] = useState<{ sending: boolean; sentAt: string | null; message: string | null }>({
    sending: false,
    sentAt: null,
    message: null,
  });

  async function send() {
    setState((s) => ({ ...s, sending: true, message: null }));
    try {
      const result = await sendEmailCodeAction({});
      if (result.ok)
        setState({
          sending: false,
          sentAt: result.data.expiresAt,
          message: `We sent a code to ${result.data.sentTo}. It works once, for 10 minutes.`,
        });
      else setState((s) => ({ ...s, sending: false, message: result.error }));
    } catch {
      setState((s) => ({
        ...s,
        sending: false,
        message: "We could not reach the server. Check your connection and try again.",
      }));
    }
  }

  return (
    <div className="space-y-2">
      <FormField
        label="Code from your email"
        htmlFor="emailCode"
        error={error}
        description={`Your organization requires this setup: we check that you can read mail sent to ${email}.`}
      >
        <CodeInput id="emailCode" autoComplete="off" {...input} />
      </FormField>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="button" variant="secondary" onClick={send} disabled={state.sending}>
          {state.sending ? "Sending…" : state.sentAt ? "Send a new code" : "Email me a code"}
        </Button>
        <p className="text-sm text-slate-700" role="status" aria-live="polite">
          {state.message}
        </p>
      </div>
    </div>
  );
}
