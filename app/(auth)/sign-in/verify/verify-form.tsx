"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { ErrorSummary, FormField, MethodPicker, SubmitButton } from "@/components/forms";
import { Alert, Button, Input } from "@/components/ui";
import { recoveryCodeField, smsCodeField, totpCodeField } from "@/lib/validation/two-factor";
import { sendSignInSmsAction, verifySignInAction } from "../../actions";

export type Method = "totp" | "sms" | "recovery";

const schemas = {
  totp: z.object({ code: totpCodeField }),
  sms: z.object({ code: smsCodeField }),
  recovery: z.object({ code: recoveryCodeField }),
};

/** What the page knows about the person's factors (describeChallenge). */
export interface VerifyMethods {
  totp: boolean;
  /** the phone's last four digits; when a code was already texted for this sign-in, when another may be asked */
  sms: { lastFour: string; sentAt: string | null; resendAfter: string | null } | null;
  recovery: boolean;
}

const METHOD_LABELS: Record<Method, string> = { totp: "Authenticator app", sms: "Text message", recovery: "Recovery" };

export function VerifyForm({
  callbackUrl,
  initialMethod,
  methods,
  attemptsLeftNotice,
  rememberDeviceDays,
}: {
  callbackUrl: string;
  initialMethod: Method;
  methods: VerifyMethods;
  /** "3 attempts left before …" when the page opened after earlier failures (the server's limiter state). */
  attemptsLeftNotice: string | null;
  /** Issue 11: "remember this device" is offered for this many days (0: the organization turned it off). */
  rememberDeviceDays: number;
}) {
  const [remember, setRemember] = useState(false);
  const available = (["totp", "sms", "recovery"] as const).filter((m) =>
    m === "totp" ? methods.totp : m === "sms" ? methods.sms !== null : true,
  );
  const [method, setMethod] = useState<Method>(
    available.includes(initialMethod) ? initialMethod : (available[0] ?? "recovery"),
  );
  const [submitted, setSubmitted] = useState(false);
  // The texted code's state outlives a switch to another method and back.
  const [text, setText] = useState<{ sent: boolean; resendAfter: number | null }>({
    sent: Boolean(methods.sms?.sentAt),
    resendAfter: methods.sms?.resendAfter ? Date.parse(methods.sms.resendAfter) : null,
  });
  return (
    <>
      {attemptsLeftNotice && !submitted ? (
        <Alert variant="warning" className="mb-5">
          <span data-testid="attempts-left">{attemptsLeftNotice}</span>
        </Alert>
      ) : null}
      {available.length > 1 ? (
        <MethodPicker
          className="mb-5"
          options={available.map((m) => ({ value: m, label: METHOD_LABELS[m] }))}
          value={method}
          onChange={setMethod}
        />
      ) : null}
      {/* Remounted per method so the form validates with that method's schema. */}
      <CodeForm
        key={method}
        callbackUrl={callbackUrl}
        method={method}
        lastFour={methods.sms?.lastFour ?? null}
        text={text}
        onText={setText}
        onSubmitted={() => setSubmitted(true)}
        rememberDeviceDays={rememberDeviceDays}
        remember={remember}
        setRemember={setRemember}
      />
    </>
  );
}

/** Seconds left until `at` (0 when past), ticking each second. */
function useSecondsUntil(at: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at === null || at <= Date.now()) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [at]);
  return at === null ? 0 : Math.max(0, Math.ceil((at - now) / 1000));
}

const mmss = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;

function CodeForm({
  callbackUrl,
  method,
  lastFour,
  text,
  onText,
  onSubmitted,
  rememberDeviceDays,
  remember,
  setRemember,
}: {
  callbackUrl: string;
  method: Method;
  lastFour: string | null;
  text: { sent: boolean; resendAfter: number | null };
  onText: (t: { sent: boolean; resendAfter: number | null }) => void;
  onSubmitted: () => void;
  rememberDeviceDays: number;
  remember: boolean;
  setRemember: (v: boolean) => void;
}) {
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(null);
  const [expired, setExpired] = useState(false);
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<string | null>(null);
  const [navigating, navigate] = useTransition(); // pending until the next page is on screen
  const wait = useSecondsUntil(text.resendAfter);
  const form = useForm<{ code: string }>({
    resolver: zodResolver(schemas[method]) as never,
    defaultValues: { code: "" },
    shouldFocusError: false, // the ErrorSummary takes the focus after a failed submit
  });
  const { register, formState } = form;

  const sendText = async () => {
    setSending(true);
    setSendError(null);
    const done = await sendSignInSmsAction({}).catch(() => null);
    setSending(false);
    if (!done) return setSendError("We could not reach the server. Check your connection and try again.");
    if (done.ok) {
      onText({ sent: true, resendAfter: Date.parse(done.data.resendAfter) });
      return;
    }
    if (done.code === "CHALLENGE_EXPIRED" || done.code === "UNAUTHENTICATED") setExpired(true);
    setSendError(done.error);
    // A refusal that lifts soon (the 30 s between texts) runs the same countdown; a daily cap just says when.
    if (done.retryAt && Date.parse(done.retryAt) - Date.now() < 10 * 60_000)
      onText({ sent: text.sent, resendAfter: Date.parse(done.retryAt) });
  };

  const onSubmit = form.handleSubmit(async ({ code }) => {
    setFormError(null);
    const done = await verifySignInAction({ method, code, rememberDevice: rememberDeviceDays > 0 && remember }).catch(
      () => null,
    );
    onSubmitted(); // the answer now says how many attempts are left
    if (!done) return setFormError("We could not reach the server. Check your connection and try again.");
    if (done.ok) {
      navigate(() => {
        router.replace(callbackUrl);
        router.refresh();
      });
      return;
    }
    if (done.code === "CHALLENGE_EXPIRED" || done.code === "UNAUTHENTICATED") setExpired(true);
    const onField = done.fieldErrors?.code;
    if (onField) {
      form.setError("code", { type: "server", message: onField });
    } else setFormError(done.error);
  });

  const expiredLink = expired ? (
    <p className="text-sm">
      <Link className="font-medium text-brand-700 underline-offset-4 hover:underline" href="/sign-in">
        Enter your password again
      </Link>
    </p>
  ) : null;

  if (method === "sms" && !text.sent) {
    return (
      <div className="space-y-5">
        <p className="text-sm text-slate-700">
          We will text a 6-digit code to your phone number ending in{" "}
          <span className="font-medium whitespace-nowrap text-slate-900">•••• {lastFour}</span>.
        </p>
        {sendError ? <Alert variant="error">{sendError}</Alert> : null}
        {expiredLink}
        <Button type="button" className="w-full" onClick={sendText} disabled={sending || wait > 0}>
          {sending ? "Sending…" : wait > 0 ? `Text me a code (in ${mmss(wait)})` : `Text me a code to •••• ${lastFour}`}
        </Button>
      </div>
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5" aria-label="Two-factor authentication">
      <ErrorSummary form={form} message={formError} />
      {expiredLink}
      {method === "totp" ? (
        <FormField
          label="Authentication code"
          htmlFor="code"
          description="Open your authenticator app and enter the 6-digit code for Twofold."
          error={formState.errors.code?.message}
        >
          <Input
            id="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            autoFocus
            maxLength={9}
            className="font-mono text-lg tracking-[0.3em]"
            {...register("code")}
          />
        </FormField>
      ) : method === "sms" ? (
        <FormField
          label="Code from the text message"
          htmlFor="code"
          description={`We texted a 6-digit code to •••• ${lastFour}. It works for 10 minutes.`}
          error={formState.errors.code?.message}
        >
          <Input
            id="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            autoFocus
            maxLength={9}
            className="font-mono text-lg tracking-[0.3em]"
            {...register("code")}
          />
        </FormField>
      ) : (
        <FormField
          label="Recovery code"
          htmlFor="code"
          description="One of the codes you saved when you set up two-factor authentication. Each works once."
          error={formState.errors.code?.message}
        >
          <Input
            id="code"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            autoFocus
            className="font-mono"
            {...register("code")}
          />
        </FormField>
      )}
      {rememberDeviceDays > 0 ? (
        <div className="flex items-start gap-3">
          <input
            id="remember-device"
            type="checkbox"
            className="mt-0.5 size-4 rounded border-slate-300 text-brand-600 focus-visible:outline-2 focus-visible:outline-brand-600"
            checked={remember}
            onChange={(e) => setRemember(e.target.checked)}
            aria-describedby="remember-device-hint"
          />
          <div className="text-sm">
            <label htmlFor="remember-device" className="font-medium text-slate-900">
              Remember this device for {rememberDeviceDays} {rememberDeviceDays === 1 ? "day" : "days"}
            </label>
            <p id="remember-device-hint" className="text-slate-600">
              We won&apos;t ask for a code on this browser until then. Don&apos;t tick this on a shared computer.
            </p>
          </div>
        </div>
      ) : null}
      <SubmitButton pending={formState.isSubmitting || navigating} className="w-full">
        Verify and sign in
      </SubmitButton>
      {method === "sms" ? (
        <div className="space-y-2 text-center text-sm">
          {sendError ? (
            <p role="alert" className="text-red-800">
              {sendError}
            </p>
          ) : null}
          <p className="text-slate-600">
            Didn’t get it?{" "}
            {wait > 0 ? (
              <span data-testid="resend-countdown" aria-live="off">
                You can ask for a new code in <span className="font-medium tabular-nums">{mmss(wait)}</span>.
              </span>
            ) : (
              <button
                type="button"
                className="font-medium text-brand-700 underline-offset-4 hover:underline disabled:opacity-60"
                onClick={sendText}
                disabled={sending}
              >
                {sending ? "Sending…" : "Send a new code"}
              </button>
            )}
          </p>
        </div>
      ) : null}
    </form>
  );
}
