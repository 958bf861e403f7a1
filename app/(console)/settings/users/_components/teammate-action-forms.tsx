"use client";

import { useRouter } from "next/navigation";
import { type ReactNode, type RefObject, useId, useState } from "react";
import { ErrorSummary, FormField, SubmitButton } from "@/components/forms";
import { type ActionResultLike, useActionForm } from "@/components/forms/use-action-form";
import { Alert, Button, Dialog, Input, Spinner, useTimeZone } from "@/components/ui";
import { formatDay } from "@/lib/format/dates";
import { EXEMPTION_MAX_DAYS, EXEMPTION_MIN_DAYS, grantExemptionSchema } from "@/lib/validation/teammates";
import { needsStepUp, StepUpForm } from "../../../_components/step-up-form";

// The dialogs behind the row actions of Settings > Users: a confirmation that, when the server answers
// STEP_UP_REQUIRED (S26: an administrator's security change needs their own fresh second factor), asks for the admin's
// own code and retries; and the exemption form.

type Target = { membershipId: string };
/** The server actions behind the row actions, handed down by the Users page. */
export interface TeammateRowActions {
  reset: (input: Target) => Promise<ActionResultLike<{ sessionsRevoked: number; linkExpiresAt: string }>>;
  issueCodes: (input: Target) => Promise<ActionResultLike<{ issued: number }>>;
  remind: (input: Target) => Promise<ActionResultLike<{ sentTo: string; nextAllowedAt: string }>>;
  grantExemption: (input: Target & { days: number; reason: string }) => Promise<ActionResultLike<{ until: string }>>;
  revokeExemption: (input: Target) => Promise<ActionResultLike<unknown>>;
  unlock: (input: Target) => Promise<ActionResultLike<unknown>>;
  signOutEverywhere: (input: Target) => Promise<ActionResultLike<{ sessionsRevoked: number }>>;
}

const NETWORK_ERROR = "We could not reach the server. Check your connection and try again.";
/** NOT_FOUND on a row action means the teammate left (or was removed) since the page was loaded. */
const GONE = "This person is no longer a member of the organization. Reload the page to see the current list.";
const explain = <T,>(r: ActionResultLike<T>): ActionResultLike<T> =>
  !r.ok && r.code === "NOT_FOUND" ? { ...r, error: GONE } : r;

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
      } else if (needsStepUp(r)) setPhase("step-up");
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
    <Dialog
      dialogRef={props.dialogRef}
      size="lg"
      title={phase === "done" ? props.doneTitle : props.title}
      tone={props.danger && phase !== "done" ? "danger" : "default"}
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
    </Dialog>
  );
}

/** Exempt a teammate from the organization's 2FA requirement for 1–30 days, with a reason. */
export function ExemptDialog(props: {
  dialogRef: RefObject<HTMLDialogElement | null>;
  membershipId: string;
  name: string;
  grantExemption: TeammateRowActions["grantExemption"];
}) {
  const router = useRouter();
  const timeZone = useTimeZone();
  const { grantExemption } = props;
  const formId = useId();
  const [until, setUntil] = useState<string | null>(null);
  // S42: an exemption weakens the requirement; without a recent step-up the server asks for one, shown inline.
  const [stepUp, setStepUp] = useState(false);
  const { form, formError, run } = useActionForm(grantExemptionSchema, {
    defaultValues: { membershipId: props.membershipId, days: 7, reason: "" },
  });
  const onSubmit = form.handleSubmit(async (values) => {
    const data = await run(async () => {
      const r = explain(await grantExemption(values));
      setStepUp(needsStepUp(r));
      return r;
    });
    if (data) setUntil(data.until);
  });
  const close = () => props.dialogRef.current?.close();
  return (
    <Dialog
      dialogRef={props.dialogRef}
      size="lg"
      title={`Exempt ${props.name} from two-factor authentication`}
      busy={form.formState.isSubmitting}
      onClosed={() => {
        if (until) router.refresh();
        setUntil(null);
        setStepUp(false);
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
            <SubmitButton form={formId} pending={form.formState.isSubmitting} disabled={stepUp}>
              Grant exemption
            </SubmitButton>
          </>
        )
      }
    >
      {until ? (
        <Alert variant="success">
          {props.name} is exempt until {formatDay(until, timeZone)}. The exemption ends by itself; you can remove it
          earlier.
        </Alert>
      ) : (
        <>
          <form id={formId} onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Exemption">
            <p>
              While exempt, {props.name} can use the organization without two-factor authentication. It ends by itself
              after the chosen number of days and is recorded in the audit log.
            </p>
            <ErrorSummary form={form} message={stepUp ? null : formError} />
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
          {stepUp ? <StepUpForm onVerified={() => onSubmit()} /> : null}
        </>
      )}
    </Dialog>
  );
}
