"use client";

import { useEffect, useState } from "react";
import { Button } from "@/components/ui";

export type SentCode = { sentTo: string; resendAfter: string; expiresAt: string };
type Result = { ok: true; data: SentCode } | { ok: false; error: string; retryAt?: string | undefined };

/**
 * "Text me a code", then "Send a new code" after 30 s with the seconds counted down (issue 12): refused sends say why
 * and when to try again (the caps' words come from the server).
 */
export function SendCodeButton({
  send,
  onSent,
  label = "Text me a code",
  sentAlready = null,
  variant = "secondary",
}: {
  send: () => Promise<Result>;
  onSent?: (sent: SentCode) => void;
  label?: string;
  sentAlready?: SentCode | null;
  variant?: "primary" | "secondary";
}) {
  const [state, setState] = useState<{
    sending: boolean;
    sent: SentCode | null;
    error: string | null;
    /** A refusal that lifts soon (the 30 s between texts): the same countdown runs until then. */
    retryAt: number | null;
  }>({ sending: false, sent: sentAlready, error: null, retryAt: null });
  const [now, setNow] = useState(() => Date.now());
  const until = state.retryAt ?? (state.sent ? Date.parse(state.sent.resendAfter) : null);
  const wait = until === null ? 0 : Math.max(0, Math.ceil((until - now) / 1000));
  useEffect(() => {
    if (wait <= 0) return;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [wait]);

  async function click() {
    setState((s) => ({ ...s, sending: true, error: null }));
    try {
      const result = await send();
      setNow(Date.now());
      if (result.ok) {
        setState({ sending: false, sent: result.data, error: null, retryAt: null });
        onSent?.(result.data);
      } else {
        // A daily cap only says when; a refusal that lifts within minutes counts down on the button.
        const retryAt = result.retryAt ? Date.parse(result.retryAt) : null;
        const soon = retryAt !== null && retryAt - Date.now() < 10 * 60_000 ? retryAt : null;
        setState((s) => ({ ...s, sending: false, error: result.error, retryAt: soon }));
      }
    } catch {
      setState((s) => ({
        ...s,
        sending: false,
        error: "We could not reach the server. Check your connection and try again.",
      }));
    }
  }

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-3">
        <Button type="button" variant={variant} onClick={click} disabled={state.sending || wait > 0}>
          {state.sending
            ? "Sending…"
            : state.sent
              ? wait > 0
                ? `Send a new code in ${wait} s`
                : "Send a new code"
              : wait > 0
                ? `${label} (in ${wait} s)`
                : label}
        </Button>
        <p className="text-sm text-slate-700" role="status" aria-live="polite">
          {state.sent && !state.error
            ? `We texted a code to ${state.sent.sentTo}. It works once, for 10 minutes.`
            : null}
        </p>
      </div>
      {state.error ? (
        <p className="text-sm font-medium text-red-700" role="alert">
          {state.error}
        </p>
      ) : null}
    </div>
  );
}
