"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useState } from "react";
import { ErrorSummary, SubmitButton } from "@/components/forms";
import { useActionForm } from "@/components/forms/use-action-form";
import { useTimeZone } from "@/components/ui";
import { formatCount } from "@/lib/format/count";
import { daysLeft, formatDeadline } from "@/lib/format/deadline";
import { DAY_MS } from "@/lib/time";
import { policySchema } from "@/lib/validation/org-policy";
import { needsStepUp, StepUpForm } from "../../_components/step-up-form";
import { graceDaysOf } from "./enable-dialog";
import { StaleAlert } from "./parts";
import { ModeFields, OptionFields, SoleAdminConfirm, saveRequiredPolicy } from "./policy-fields";
import {
  type ActorView,
  type EnforcementModeValue,
  type ImpactView,
  type PolicyView,
  plural,
  type SaveResult,
} from "./view";

const defaultsFor = (policy: PolicyView) => ({
  requireTwoFactor: true,
  mode: (policy.mode ?? "NEXT_SIGN_IN") as EnforcementModeValue,
  graceDays: policy.graceDays ?? 14,
  exemptSso: policy.exemptSso,
  allowedMethods: policy.allowedMethods,
  expectedVersion: policy.policyVersion,
  confirmSoleAdmin: false,
});

/** While the requirement is on: change the rollout mode, the grace period and the options. */
export function PolicySettingsForm({
  policy,
  impact,
  actor,
}: {
  policy: PolicyView;
  impact: ImpactView;
  actor: ActorView;
}) {
  const router = useRouter();
  const timeZone = useTimeZone();
  const formId = useId();
  const [stale, setStale] = useState(false);
  const [saved, setSaved] = useState<SaveResult | null>(null);
  const [now, setNow] = useState<number | null>(null);
  // S42: a looser setting needs a recent step-up; the server asks for it and the one step-up form appears below.
  const [stepUp, setStepUp] = useState(false);
  const { form, formError, setFormError, run } = useActionForm(policySchema, { defaultValues: defaultsFor(policy) });
  const { formState, watch } = form;

  useEffect(() => setNow(Date.now()), []);

  // A new version arrived (our own save, or "Reload" after someone else's): show what is saved now.
  useEffect(() => {
    if (form.getValues("expectedVersion") === policy.policyVersion) return;
    form.reset(defaultsFor(policy));
    setStale(false);
    setStepUp(false);
    setFormError(null);
    setNow(Date.now());
  }, [policy, form, setFormError]);

  const n = impact.membersWithout2fa;
  const mode = watch("mode") as EnforcementModeValue;
  const days = graceDaysOf(watch("graceDays"));
  const exemptSso = watch("exemptSso");
  const sameGrace = policy.mode === "GRACE" && policy.modeSince !== null;
  // The deadline counts from when the grace period began (unchanged mode), or from the save (a new mode).
  const deadline =
    mode === "GRACE" && days && now !== null
      ? new Date((sameGrace ? Date.parse(policy.modeSince as string) : now) + days * DAY_MS)
      : null;
  const passed = deadline !== null && now !== null && deadline.getTime() <= now;
  const without = n === 1 ? "The member without 2FA is" : `The ${formatCount(n)} members without 2FA are`;

  const onSubmit = form.handleSubmit(async (values) => {
    setStale(false);
    setSaved(null);
    const data = await run(async () => {
      const r = await saveRequiredPolicy(values, () => setStale(true));
      setStepUp(needsStepUp(r));
      return r;
    });
    if (data) {
      setSaved(data);
      router.refresh();
    }
  });

  // B6: switching to "now" or a grace period while nobody else could reset the actor's 2FA (the server asks too).
  const soleAdmin =
    (actor.onlyAdminWithTwoFactor && mode !== policy.mode && (mode === "NOW" || mode === "GRACE")) ||
    Boolean(formState.errors.confirmSoleAdmin);

  return (
    <>
      <form id={formId} onSubmit={onSubmit} noValidate className="space-y-6" aria-label="Rollout and options">
        <ModeFields
          form={form}
          idPrefix={`${formId}-edit`}
          modeNotes={{
            NOW:
              policy.mode !== "NOW" && n > 0 ? (
                <p className="font-medium text-amber-800">
                  Applies at once: {without.charAt(0).toLowerCase() + without.slice(1)} signed out when you save.
                </p>
              ) : null,
            NEXT_SIGN_IN:
              policy.mode !== "NEXT_SIGN_IN" ? (
                <p className="text-slate-700">Counts from when you save: current sessions continue.</p>
              ) : null,
          }}
          graceNote={
            <div className="space-y-1 text-slate-700">
              {deadline ? (
                passed ? (
                  <p className="font-medium text-amber-800">
                    This deadline ({formatDeadline(deadline, timeZone)}) has already passed: members without 2FA are
                    signed out when you save.
                  </p>
                ) : (
                  <p>
                    Deadline: <span className="font-medium text-slate-900">{formatDeadline(deadline, timeZone)}</span> (
                    {plural(daysLeft(deadline, new Date(now ?? Date.now())), "day")} left)
                  </p>
                )
              ) : null}
              <p>
                {sameGrace
                  ? `Counted from ${policy.modeSinceText}, when the grace period began. A shorter period applies at once to everyone.`
                  : "The grace period starts when you save."}
              </p>
            </div>
          }
        />
        <div className="border-t border-slate-200 pt-6">
          <OptionFields
            form={form}
            idPrefix={`${formId}-edit`}
            ssoUsers={impact.ssoUsers}
            onlyFactor={impact.onlyFactor}
            ssoNote={
              policy.exemptSso && !exemptSso && impact.ssoUsers > 0 ? (
                <p className="text-amber-800">
                  SSO users without 2FA will have to set it up
                  {mode === "NOW" ? " and are signed out when you save" : ""}.
                </p>
              ) : null
            }
          />
        </div>
        {soleAdmin ? (
          <SoleAdminConfirm form={form} idPrefix={`${formId}-edit`} organizationName={policy.organizationName} />
        ) : null}
        {stale && formError ? (
          <StaleAlert message={formError} />
        ) : (
          <ErrorSummary form={form} message={stepUp ? null : formError} />
        )}
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2 border-t border-slate-200 pt-5">
          <SubmitButton pending={formState.isSubmitting} disabled={!formState.isDirty}>
            Save changes
          </SubmitButton>
          <p className="text-sm text-slate-600" role="status">
            {formState.isDirty
              ? "Unsaved changes. Stricter settings apply to everyone as soon as you save."
              : saved
                ? `Saved. ${plural(saved.sessionsRevoked, "session")} signed out, ${plural(saved.mailsQueued, "email")} queued.`
                : ""}
          </p>
        </div>
      </form>
      {stepUp ? <StepUpForm onVerified={() => onSubmit()} /> : null}
    </>
  );
}
