"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { type RefObject, useEffect, useId, useRef, useState } from "react";
import { ErrorSummary, SubmitButton } from "@/components/forms";
import { useActionForm } from "@/components/forms/use-action-form";
import { Alert, Button, Dialog, useTimeZone } from "@/components/ui";
import { formatCount } from "@/lib/format/count";
import { formatDeadline } from "@/lib/format/deadline";
import { DAY_MS } from "@/lib/time";
import { GRACE_DAYS_MAX, GRACE_DAYS_MIN, policySchema } from "@/lib/validation/org-policy";
import { ImpactSummary, ImpactTable, StaleAlert, useCloseWhenDoneElsewhere } from "./parts";
import { ModeFields, OptionFields, SoleAdminConfirm, saveRequiredPolicy } from "./policy-fields";
import {
  type ActorView,
  type EnforcementModeValue,
  type ImpactView,
  type PolicyView,
  plural,
  type SaveResult,
} from "./view";

const link = "font-medium underline underline-offset-4";

/** A valid number of grace days from the form's raw value, else null. */
export function graceDaysOf(raw: unknown): number | null {
  const n = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : Number.NaN;
  return Number.isInteger(n) && n >= GRACE_DAYS_MIN && n <= GRACE_DAYS_MAX ? n : null;
}

/** What the chosen mode does to the members without 2FA, in words. */
function consequence(mode: EnforcementModeValue, impact: ImpactView, days: number | null, deadline: string | null) {
  const n = impact.membersWithout2fa;
  if (n === 0)
    return "Nobody is affected now: every member has set up 2FA or is exempt. Members who join later set it up right after they accept their invitation.";
  const who = n === 1 ? "The member listed above" : `These ${formatCount(n)} members`;
  switch (mode) {
    case "NOW":
      return `${who} will be signed out of every session as soon as you confirm. When they sign in again, they must set up 2FA before they can open anything else.`;
    case "NEXT_SIGN_IN":
      return `${who} keep${n === 1 ? "s" : ""} working in ${n === 1 ? "their current session" : "their current sessions"}. The next time they sign in, they must set up 2FA before they can open anything else.`;
    case "GRACE":
      return days
        ? `${who} can keep working for ${plural(days, "day")}${deadline ? `, until ${deadline}` : ""}, with a countdown banner on every page and email reminders 7 days and 1 day before. After the deadline they are signed out and must set up 2FA at sign-in.`
        : `${who} can keep working until the deadline, with a countdown banner on every page. After it they are signed out and must set up 2FA at sign-in.`;
  }
}

/**
 * Turning the requirement on: the impact preview (live numbers from the page, the members without 2FA), the rollout
 * mode and the options, the lockout guardrail, then the result (sessions signed out, emails queued).
 */
export function EnableDialog({
  dialogRef,
  policy,
  impact,
  actor,
}: {
  dialogRef: RefObject<HTMLDialogElement | null>;
  policy: PolicyView;
  impact: ImpactView;
  actor: ActorView;
}) {
  const router = useRouter();
  const timeZone = useTimeZone();
  const formId = useId();
  const impactId = useId();
  const [result, setResult] = useState<SaveResult | null>(null);
  const [stale, setStale] = useState(false);
  // Set when the dialog opens (the browser's clock): the grace deadline preview counts from it.
  const [openedAt, setOpenedAt] = useState<number | null>(null);
  const defaults = {
    requireTwoFactor: true,
    mode: "GRACE" as EnforcementModeValue,
    graceDays: 14,
    exemptSso: policy.exemptSso,
    allowedMethods: ["TOTP" as const],
    expectedVersion: policy.policyVersion,
    confirmSoleAdmin: false,
  };
  const { form, formError, setFormError, run } = useActionForm(policySchema, { defaultValues: defaults });
  const { formState, watch } = form;

  // A new version (saved here, or by someone else and then reloaded): later saves must send it. If someone else turned
  // the requirement on meanwhile, this dialog has nothing left to do.
  useEffect(() => {
    form.setValue("expectedVersion", policy.policyVersion);
    setStale(false);
  }, [policy.policyVersion, form]);
  const savingHere = useCloseWhenDoneElsewhere(dialogRef, policy.requireTwoFactor, result);

  // The dialog element decides when it is open; track it to refresh the preview's clock.
  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    const observer = new MutationObserver(() => {
      if (dialog.open) setOpenedAt(Date.now());
    });
    observer.observe(dialog, { attributes: true, attributeFilter: ["open"] });
    return () => observer.disconnect();
  }, [dialogRef]);

  const mode = watch("mode") as EnforcementModeValue;
  const days = graceDaysOf(watch("graceDays"));
  const exemptSso = watch("exemptSso");
  const deadline =
    mode === "GRACE" && days && openedAt ? formatDeadline(new Date(openedAt + days * DAY_MS), timeZone) : null;
  const blocked = !actor.hasTwoFactor;
  // B6: "now" or a deadline while nobody else could reset the actor's 2FA (the server asks too).
  const soleAdmin =
    (actor.onlyAdminWithTwoFactor && (mode === "NOW" || mode === "GRACE")) ||
    Boolean(formState.errors.confirmSoleAdmin);

  const onSubmit = form.handleSubmit(async (values) => {
    setStale(false);
    savingHere.current = true;
    const data = await run(() => saveRequiredPolicy(values, () => setStale(true)));
    if (data) {
      setResult(data);
      router.refresh();
    } else savingHere.current = false;
  });

  // A refusal appears under the form, next to the buttons: bring it into view (the body scrolls).
  const errorRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (formError) errorRef.current?.scrollIntoView({ block: "nearest" });
  }, [formError]);

  const close = () => dialogRef.current?.close();
  const pending = formState.isSubmitting;

  return (
    <Dialog
      dialogRef={dialogRef}
      size="xl"
      title={result ? "Two-factor authentication is now required" : "Require two-factor authentication?"}
      describedBy={result ? undefined : impactId}
      busy={pending}
      onClosed={() => {
        savingHere.current = false;
        setResult(null);
        setStale(false);
        setFormError(null);
        form.reset({ ...defaults, expectedVersion: policy.policyVersion });
      }}
      footer={
        result ? (
          <Button variant="secondary" onClick={close}>
            Close
          </Button>
        ) : (
          <>
            <Button variant="secondary" disabled={pending} onClick={close}>
              Cancel
            </Button>
            <SubmitButton
              form={formId}
              pending={pending}
              disabled={blocked}
              variant={mode === "NOW" && impact.membersWithout2fa > 0 ? "danger" : "primary"}
            >
              {mode === "NOW" && impact.membersWithout2fa > 0 ? "Require 2FA and sign them out" : "Require 2FA"}
            </SubmitButton>
          </>
        )
      }
    >
      {result ? (
        <div className="space-y-4">
          <Alert variant="success" title={`Everyone in ${policy.organizationName} must now use 2FA`}>
            Members without 2FA{" "}
            {mode === "NOW"
              ? "were signed out and set it up when they sign in again."
              : mode === "NEXT_SIGN_IN"
                ? "set it up at their next sign-in."
                : "see a countdown until the deadline."}
          </Alert>
          <dl className="grid gap-3 sm:grid-cols-3">
            <div className="rounded-lg border border-slate-200 px-4 py-3">
              <dt className="text-xs text-slate-600">Sessions signed out</dt>
              <dd className="text-2xl font-semibold text-slate-900" data-testid="result-sessions">
                {result.sessionsRevoked}
              </dd>
            </div>
            <div className="rounded-lg border border-slate-200 px-4 py-3">
              <dt className="text-xs text-slate-600">Emails queued</dt>
              <dd className="text-2xl font-semibold text-slate-900" data-testid="result-mails">
                {result.mailsQueued}
              </dd>
            </div>
            <div className="rounded-lg border border-slate-200 px-4 py-3">
              <dt className="text-xs text-slate-600">Members without 2FA</dt>
              <dd className="text-2xl font-semibold text-slate-900">{result.membersWithout2fa}</dd>
            </div>
          </dl>
          <p role="status" className="sr-only">
            {plural(result.sessionsRevoked, "session")} signed out, {plural(result.mailsQueued, "email")} queued.
          </p>
        </div>
      ) : (
        <form
          id={formId}
          onSubmit={onSubmit}
          noValidate
          className="space-y-6"
          aria-label="Require two-factor authentication"
        >
          {blocked ? (
            <Alert variant="warning" title="Set up two-factor authentication for yourself first">
              You do not use 2FA yet, so requiring it could lock you out of {policy.organizationName}.{" "}
              <Link href="/profile/security" className={link}>
                Set it up in Profile › Security
              </Link>
              , then come back here.
            </Alert>
          ) : actor.onlyAdminWithTwoFactor && actor.recoveryCodesLeft === 0 ? (
            <Alert variant="warning" title="You have no recovery codes left">
              You are the only owner or administrator with 2FA. If you lose your phone, nobody in{" "}
              {policy.organizationName} can reset it for you.{" "}
              <Link href="/profile/security/two-factor/recovery-codes" className={link}>
                Generate new recovery codes
              </Link>{" "}
              before you continue.
            </Alert>
          ) : null}

          <section aria-label="Impact" className="space-y-3">
            <ImpactSummary impact={impact} id={impactId} />
            <ImpactTable impact={impact} label="Members who have not set up 2FA" maxHeight />
          </section>

          <ModeFields
            form={form}
            idPrefix={`${formId}-on`}
            graceNote={
              deadline ? (
                <p className="text-slate-700">
                  Deadline: <span className="font-medium text-slate-900">{deadline}</span>
                </p>
              ) : null
            }
          />

          <div className="rounded-lg border border-slate-200 bg-slate-50 px-4 py-3" data-testid="consequence">
            <p className="font-medium text-slate-900">What happens</p>
            <p className="mt-1">{consequence(mode, impact, days, deadline)}</p>
            <p className="mt-1">
              Every member gets an email; those without 2FA get a link to the setup page. Members who already use 2FA
              notice nothing else.
            </p>
          </div>

          <OptionFields
            form={form}
            idPrefix={`${formId}-on`}
            ssoUsers={impact.ssoUsers}
            onlyFactor={impact.onlyFactor}
            ssoNote={
              impact.ssoUsers > 0 && exemptSso !== policy.exemptSso ? (
                <p className="text-amber-800">
                  The numbers above {policy.exemptSso ? "leave out" : "include"} SSO users without 2FA.
                </p>
              ) : null
            }
          />

          {soleAdmin ? (
            <SoleAdminConfirm form={form} idPrefix={`${formId}-on`} organizationName={policy.organizationName} />
          ) : null}

          <div ref={errorRef}>
            {stale && formError ? <StaleAlert message={formError} /> : <ErrorSummary form={form} message={formError} />}
          </div>
        </form>
      )}
    </Dialog>
  );
}
