"use client";

import { useRouter } from "next/navigation";
import { type ReactNode, type RefObject, useId, useState } from "react";
import { z } from "zod";
import { grantExemptionAction, stepUpAction } from "@/app/(console)/settings/users/teammate-actions";
import { FormError, FormField, SubmitButton } from "@/components/forms";
import { type ActionResultLike, useActionForm } from "@/components/forms/use-action-form";
import { Alert, Button, Input, Spinner } from "@/components/ui";
import { EXEMPTION_MAX_DAYS, EXEMPTION_MIN_DAYS, grantExemptionSchema } from "@/lib/validation/teammates";
import { recoveryCodeField, totpCodeField } from "@/lib/validation/two-factor";
import { TeammateActionDialog } from "./teammate-action-dialog";

// The dialogs behind the row actions of Settings > Users: a confirmation that, when the server answers
// STEP_UP_REQUIRED (S26), asks for the admin's own code and retries; and the exemption form.

const NETWORK_ERROR = "We could not reach the server. Check your connection and try again.";
/** NOT_FOUND on a row action means the teammate left (or was removed) since the page was loaded. */
const GONE = "This person is no longer a member of the organization. Reload the page to see the current list.";
const explain = <T,>(r: ActionResultLike<T>): ActionResultLike<T> =>
  !r.ok && r.code === "NOT_FOUND" ? { ...r, error: GONE } : r;

export const longDate = (iso: string) =>
  new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

type Phase = "confirm" | "step-up" | "done";

export function ConfirmAction<T>(props: {
  dialogRef: RefObject<HTMLDialogElement | null>;
  title: string;
  /** The title once the action succeeded. */
  doneTitle: string;
  body: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  run: () => Promise<ActionResultLike<T>>;
  success: (data: T) => ReactNode;
}) {
  const router = useRouter();
  const [phase, setPhase] = useState<Phase>("confirm");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<ReactNode>(null);

  async function attempt() {
    setPending(true);
    setError(null);
    try {
      const r = explain(await props.run());
      if (r.ok) {
        setDone(props.success(r.data));
        setPhase("done");
      } else if (r.code === "STEP_UP_REQUIRED") setPhase("step-up");
      else {
        setError(r.error);
        setPhase("confirm");
      }
    } catch {
      setError(NETWORK_ERROR);
    } finally {
      setPending(false);
    }
  }

  const close = () => props.dialogRef.current?.close();
  return (
    <TeammateActionDialog
      dialogRef={props.dialogRef}
      title={phase === "done" ? props.doneTitle : props.title}
      danger={props.danger && phase !== "done"}
      busy={pending}
      onClosed={() => {
        if (phase === "done") router.refresh();
        setPhase("confirm");
        setError(null);
        setDone(null);
      }}
      footer={
        phase === "confirm" ? (
          <>
            <Button variant="secondary" disabled={pending} onClick={close}>
              Cancel
            </Button>
            <Button
              variant={props.danger ? "danger" : "primary"}
              disabled={pending}
              aria-busy={pending || undefined}
              onClick={attempt}
            >
              {pending ? <Spinner /> : null}
              {props.confirmLabel}
            </Button>
          </>
        ) : (
          <Button variant="secondary" disabled={pending} onClick={close}>
            {phase === "done" ? "Close" : "Cancel"}
          </Button>
        )
      }
    >
      {phase === "done" ? (
        <Alert variant="success">{done}</Alert>
      ) : (
        <>
          {props.body}
          {error ? <Alert variant="error">{error}</Alert> : null}
          {phase === "step-up" ? <StepUpForm onVerified={attempt} /> : null}
        </>
      )}
    </TeammateActionDialog>
  );
}

type Method = "totp" | "recovery";
const codeSchemas = { totp: z.object({ code: totpCodeField }), recovery: z.object({ code: recoveryCodeField }) };

/** S26: the admin proves again, with their own second factor, that they are at the keyboard. */
function StepUpForm({ onVerified }: { onVerified: () => Promise<void> }) {
  const [method, setMethod] = useState<Method>("totp");
  return <StepUpCodeForm key={method} method={method} switchTo={setMethod} onVerified={onVerified} />;
}

function StepUpCodeForm(props: { method: Method; switchTo: (m: Method) => void; onVerified: () => Promise<void> }) {
  const { method } = props;
  const id = useId();
  const { form, formError, run } = useActionForm(codeSchemas[method], { defaultValues: { code: "" } });
  const onSubmit = form.handleSubmit(async ({ code }) => {
    const data = await run(() => stepUpAction({ method, code }));
    if (data) await props.onVerified();
  });
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Confirm it's you" className="space-y-3 rounded-lg bg-slate-50 p-4">
      <p className="font-medium text-slate-900">Confirm it's you</p>
      <p>For your security, this needs a fresh check of your own two-factor authentication (valid for 10 minutes).</p>
      <FormError message={formError} />
      <FormField
        label={method === "totp" ? "Code from your authenticator app" : "One of your recovery codes"}
        htmlFor={`${id}-code`}
        error={form.formState.errors.code?.message}
      >
        <Input
          id={`${id}-code`}
          autoComplete={method === "totp" ? "one-time-code" : "off"}
          inputMode={method === "totp" ? "numeric" : undefined}
          autoFocus
          className="font-mono"
          {...form.register("code")}
        />
      </FormField>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <button
          type="button"
          className="text-sm font-medium text-brand-700 underline-offset-4 hover:underline"
          onClick={() => props.switchTo(method === "totp" ? "recovery" : "totp")}
        >
          {method === "totp" ? "Use one of my recovery codes" : "Use my authenticator app"}
        </button>
        <SubmitButton pending={form.formState.isSubmitting}>Verify and continue</SubmitButton>
      </div>
    </form>
  );
}

/** Exempt a teammate from the organization's 2FA requirement for 1–30 days, with a reason. */
export function ExemptDialog(props: {
  dialogRef: RefObject<HTMLDialogElement | null>;
  membershipId: string;
  name: string;
}) {
  const router = useRouter();
  const formId = useId();
  const [until, setUntil] = useState<string | null>(null);
  const { form, formError, run } = useActionForm(grantExemptionSchema, {
    defaultValues: { membershipId: props.membershipId, days: 7, reason: "" },
  });
  const onSubmit = form.handleSubmit(async (values) => {
    const data = await run(async () => explain(await grantExemptionAction(values)));
    if (data) setUntil(data.until);
  });
  const close = () => props.dialogRef.current?.close();
  return (
    <TeammateActionDialog
      dialogRef={props.dialogRef}
      title={`Exempt ${props.name} from two-factor authentication`}
      busy={form.formState.isSubmitting}
      onClosed={() => {
        if (until) router.refresh();
        setUntil(null);
        form.reset();
      }}
      footer={
        until ? (
          <Button variant="secondary" onClick={close}>
            Close
          </Button>
        ) : (
          <>
            <Button variant="secondary" disabled={form.formState.isSubmitting} onClick={close}>
              Cancel
            </Button>
            <SubmitButton form={formId} pending={form.formState.isSubmitting}>
              Grant exemption
            </SubmitButton>
          </>
        )
      }
    >
      {until ? (
        <Alert variant="success">
          {props.name} is exempt until {longDate(until)}. The exemption ends by itself; you can remove it earlier.
        </Alert>
      ) : (
        <form id={formId} onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Exemption">
          <p>
            While exempt, {props.name} can use the organization without two-factor authentication. It ends by itself
            after the chosen number of days and is recorded in the audit log.
          </p>
          <FormError message={formError} />
          <FormField
            label={`Days (${EXEMPTION_MIN_DAYS}–${EXEMPTION_MAX_DAYS})`}
            htmlFor={`${formId}-days`}
            error={form.formState.errors.days?.message}
          >
            <Input
              id={`${formId}-days`}
              type="number"
              min={EXEMPTION_MIN_DAYS}
              max={EXEMPTION_MAX_DAYS}
              className="w-28"
              {...form.register("days", { valueAsNumber: true })}
            />
          </FormField>
          <FormField
            label="Reason"
            htmlFor={`${formId}-reason`}
            description="For example: new phone arrives next week."
            error={form.formState.errors.reason?.message}
          >
            <Input id={`${formId}-reason`} maxLength={200} {...form.register("reason")} />
          </FormField>
        </form>
      )}
    </TeammateActionDialog>
  );
}
