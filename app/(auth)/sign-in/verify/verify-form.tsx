"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { ErrorSummary, FormField, SubmitButton } from "@/components/forms";
import { Alert, Input } from "@/components/ui";
import { recoveryCodeField, totpCodeField } from "@/lib/validation/two-factor";
import { verifySignInAction } from "../../actions";

type Method = "totp" | "recovery";

const schemas = { totp: z.object({ code: totpCodeField }), recovery: z.object({ code: recoveryCodeField }) };

export function VerifyForm({
  callbackUrl,
  initialMethod,
  attemptsLeftNotice,
  rememberDeviceDays,
}: {
  callbackUrl: string;
  initialMethod: Method;
  /** "3 attempts left before …" when the page opened after earlier failures (the server's limiter state). */
  attemptsLeftNotice: string | null;
  /** Issue 11: "remember this device" is offered for this many days (0: the organization turned it off). */
  rememberDeviceDays: number;
}) {
  const [remember, setRemember] = useState(false);
  const [method, setMethod] = useState<Method>(initialMethod);
  const [submitted, setSubmitted] = useState(false);
  // Remounted per method so the form validates with that method's schema.
  return (
    <>
      {attemptsLeftNotice && !submitted ? (
        <Alert variant="warning" className="mb-5">
          <span data-testid="attempts-left">{attemptsLeftNotice}</span>
        </Alert>
      ) : null}
      <CodeForm
        key={method}
        callbackUrl={callbackUrl}
        method={method}
        switchTo={setMethod}
        onSubmitted={() => setSubmitted(true)}
        rememberDeviceDays={rememberDeviceDays}
        remember={remember}
        setRemember={setRemember}
      />
    </>
  );
}

function CodeForm({
  callbackUrl,
  method,
  switchTo,
  onSubmitted,
  rememberDeviceDays,
  remember,
  setRemember,
}: {
  callbackUrl: string;
  method: Method;
  switchTo: (m: Method) => void;
  onSubmitted: () => void;
  rememberDeviceDays: number;
  remember: boolean;
  setRemember: (v: boolean) => void;
}) {
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(null);
  const [expired, setExpired] = useState(false);
  const [navigating, navigate] = useTransition(); // pending until the next page is on screen
  const form = useForm<{ code: string }>({
    resolver: zodResolver(schemas[method]) as never,
    defaultValues: { code: "" },
    shouldFocusError: false, // the ErrorSummary takes the focus after a failed submit
  });
  const { register, formState } = form;

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

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5" aria-label="Two-factor authentication">
      <ErrorSummary form={form} message={formError} />
      {expired ? (
        <p className="text-sm">
          <Link className="font-medium text-brand-700 underline-offset-4 hover:underline" href="/sign-in">
            Enter your password again
          </Link>
        </p>
      ) : null}
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
      <p className="text-center text-sm">
        {method === "totp" ? (
          <button
            type="button"
            className="font-medium text-brand-700 underline-offset-4 hover:underline"
            onClick={() => switchTo("recovery")}
          >
            Lost your phone? Use a recovery code
          </button>
        ) : (
          <button
            type="button"
            className="font-medium text-brand-700 underline-offset-4 hover:underline"
            onClick={() => switchTo("totp")}
          >
            Use your authenticator app instead
          </button>
        )}
      </p>
    </form>
  );
}
