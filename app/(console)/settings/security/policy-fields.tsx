"use client";

import type { ReactNode } from "react";
import type { UseFormReturn } from "react-hook-form";
import type { z } from "zod";
import { FieldError } from "@/components/forms";
import { cn } from "@/components/ui";
import { GRACE_DAYS_MAX, GRACE_DAYS_MIN, type policySchema } from "@/lib/validation/org-policy";
import { savePolicyAction } from "./actions";
import { type EnforcementModeValue, type MethodValue, MODE_LABELS, plural } from "./view";

// The controls shared by the "turn on" dialog and the settings form: the rollout mode (with the grace period's days)
// and the options (SSO exemption, allowed methods).

export type PolicyFormApi = UseFormReturn<z.input<typeof policySchema>, unknown, z.output<typeof policySchema>>;

const MODE_HELP: Record<EnforcementModeValue, string> = {
  NOW: "Their sessions end as soon as you save. They set up 2FA before anything else when they sign in again.",
  NEXT_SIGN_IN: "They keep working in their current session. Setup is demanded the next time they sign in.",
  GRACE:
    "They see a countdown on every page and get email reminders 7 days and 1 day before the deadline. After it, they are signed out and set up 2FA at sign-in.",
};

const radioClasses =
  "mt-1 size-4 shrink-0 accent-brand-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600";
const checkboxClasses = radioClasses;

/** The three rollout modes as a radio group; the grace period's number of days sits inside its option. */
export function ModeFields({
  form,
  idPrefix,
  graceNote,
  modeNotes,
}: {
  form: PolicyFormApi;
  idPrefix: string;
  /** Shown under the days input while the grace period is chosen (the deadline it gives, how shortening works). */
  graceNote?: ReactNode;
  /** Extra words under an option while it is chosen. */
  modeNotes?: Partial<Record<EnforcementModeValue, ReactNode>>;
}) {
  const { register, formState, watch, setValue } = form;
  const mode = watch("mode");
  const graceError = formState.errors.graceDays?.message;
  const modeError = formState.errors.mode?.message;
  const id = (s: string) => `${idPrefix}-${s}`;
  const option = (value: EnforcementModeValue, label: ReactNode) => {
    const selected = mode === value;
    const note = modeNotes?.[value];
    return (
      <div
        key={value}
        className={cn(
          "flex gap-3 rounded-lg border px-4 py-3 transition-colors",
          selected
            ? "border-brand-600 bg-brand-50/60 ring-1 ring-brand-600"
            : "border-slate-200 hover:border-slate-300",
        )}
      >
        <input
          type="radio"
          id={id(`mode-${value}`)}
          value={value}
          className={radioClasses}
          aria-describedby={id(`mode-${value}-help`)}
          {...(value === "GRACE"
            ? { "aria-labelledby": `${id("grace-before")} ${id("graceDays")} ${id("grace-after")}` }
            : {})}
          {...register("mode")}
        />
        <div className="min-w-0 flex-1 space-y-1">
          {label}
          <p id={id(`mode-${value}-help`)} className="text-sm text-slate-600">
            {MODE_HELP[value]}
          </p>
          {selected && note ? <div className="pt-1 text-sm">{note}</div> : null}
          {value === "GRACE" ? (
            <>
              <FieldError id={id("graceDays-error")} message={graceError} />
              {selected && graceNote && !graceError ? <div className="pt-1 text-sm">{graceNote}</div> : null}
            </>
          ) : null}
        </div>
      </div>
    );
  };
  return (
    <fieldset className="space-y-2.5" aria-describedby={modeError ? id("mode-error") : undefined}>
      <legend className="mb-2.5 text-sm font-semibold text-slate-900">What happens to members without 2FA</legend>
      {option(
        "NOW",
        <label htmlFor={id("mode-NOW")} className="block font-medium text-slate-900">
          {MODE_LABELS.NOW}
        </label>,
      )}
      {option(
        "NEXT_SIGN_IN",
        <label htmlFor={id("mode-NEXT_SIGN_IN")} className="block font-medium text-slate-900">
          {MODE_LABELS.NEXT_SIGN_IN}
        </label>,
      )}
      {option(
        "GRACE",
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1 font-medium text-slate-900">
          <label htmlFor={id("mode-GRACE")} id={id("grace-before")}>
            Grace period of
          </label>
          <input
            id={id("graceDays")}
            // A text box (not type="number"): its value is part of the radio's accessible name ("Grace period of 7
            // days"), which browsers compute for text boxes, not spin buttons.
            type="text"
            inputMode="numeric"
            pattern="[0-9]*"
            maxLength={2}
            autoComplete="off"
            aria-label={`Grace period in days (${GRACE_DAYS_MIN}–${GRACE_DAYS_MAX})`}
            aria-invalid={graceError ? true : undefined}
            aria-describedby={graceError ? id("graceDays-error") : id("graceDays-range")}
            className={cn(
              "w-20 rounded-md border border-slate-300 bg-white px-2.5 py-1 text-base text-slate-900 shadow-xs sm:text-sm",
              "hover:border-slate-400 focus:outline-hidden focus-visible:border-brand-600 focus-visible:ring-2 focus-visible:ring-brand-600/30",
              "aria-[invalid=true]:border-red-600",
            )}
            {...register("graceDays")}
            onFocus={() => {
              if (form.getValues("mode") !== "GRACE") setValue("mode", "GRACE", { shouldDirty: true });
            }}
          />
          <span id={id("grace-after")}>days</span>
          <span id={id("graceDays-range")} className="text-xs font-normal text-slate-600">
            ({GRACE_DAYS_MIN} to {GRACE_DAYS_MAX})
          </span>
        </div>,
      )}
      <FieldError id={id("mode-error")} message={modeError} />
    </fieldset>
  );
}

/** Exempt SSO users; which second factors count. */
export function OptionFields({
  form,
  idPrefix,
  ssoUsers,
  ssoNote,
  onlyFactor,
  gated = true,
}: {
  form: PolicyFormApi;
  idPrefix: string;
  ssoUsers: number;
  /** Members whose only factor is each method (the impact of forbidding it). */
  onlyFactor?: Record<MethodValue, number>;
  /** Whether a member without an allowed factor is gated by the requirement (it is on, or being turned on). */
  gated?: boolean;
  /** Extra words under the SSO option (e.g. what turning the exemption off does at once). */
  ssoNote?: ReactNode;
}) {
  const { register, formState, watch, setValue } = form;
  const methods = (watch("allowedMethods") ?? []) as MethodValue[];
  const methodsError = formState.errors.allowedMethods?.message;
  const id = (s: string) => `${idPrefix}-${s}`;
  return (
    <div className="space-y-5">
      <div className="flex gap-3">
        <input
          type="checkbox"
          id={id("exemptSso")}
          className={checkboxClasses}
          aria-describedby={id("exemptSso-help")}
          {...register("exemptSso")}
        />
        <div className="space-y-1">
          <label htmlFor={id("exemptSso")} className="block font-medium text-slate-900">
            Exempt SSO users
          </label>
          <p id={id("exemptSso-help")} className="text-sm text-slate-600">
            {ssoUsers === 0
              ? "Nobody signs in through your identity provider (SSO) yet."
              : `${plural(ssoUsers, "member")} ${ssoUsers === 1 ? "signs" : "sign"} in through your identity provider (SSO), which checks their second factor itself.`}
          </p>
          {ssoNote ? <div className="text-sm">{ssoNote}</div> : null}
        </div>
      </div>
      <fieldset className="space-y-2.5" aria-describedby={methodsError ? id("methods-error") : id("methods-help")}>
        <legend className="text-sm font-semibold text-slate-900">Allowed methods</legend>
        <p id={id("methods-help")} className="-mt-1 text-sm text-slate-600">
          Which second factors count. A member whose only factor is not allowed must add an allowed one.
        </p>
        {(["TOTP", "SMS"] as const).map((method) => {
          const only = onlyFactor?.[method] ?? 0;
          const forbidding = !methods.includes(method) && only > 0;
          return (
            <div key={method} className="flex gap-3">
              <input
                type="checkbox"
                id={id(`method-${method}`)}
                className={checkboxClasses}
                checked={methods.includes(method)}
                aria-describedby={id(`method-${method}-help`)}
                onChange={(e) => {
                  const others = methods.filter((m) => m !== method);
                  setValue("allowedMethods", e.target.checked ? [...others, method] : others, {
                    shouldDirty: true,
                    shouldValidate: true,
                  });
                }}
              />
              <div>
                <label htmlFor={id(`method-${method}`)} className="font-medium text-slate-900">
                  {method === "TOTP" ? "Authenticator app" : "SMS (text message)"}
                </label>
                <p
                  id={id(`method-${method}-help`)}
                  className={forbidding ? "text-sm font-medium text-amber-800" : "text-sm text-slate-600"}
                  data-testid={`only-factor-${method}`}
                >
                  {forbidding
                    ? `${plural(only, "member")} ${only === 1 ? "uses" : "use"} only ${method === "TOTP" ? "an authenticator app" : "SMS"}: without it allowed, they must add ${method === "TOTP" ? "SMS" : "an authenticator app"}${gated ? ` and are treated like members without 2FA until they do` : ""}.`
                    : method === "SMS"
                      ? `Weaker than an app: NIST treats SMS as a restricted authenticator (codes can be intercepted or a number taken over). ${plural(only, "member")} ${only === 1 ? "uses" : "use"} only SMS.`
                      : `The stronger choice. ${plural(only, "member")} ${only === 1 ? "uses" : "use"} only an app.`}
                </p>
              </div>
            </div>
          );
        })}
        <FieldError id={id("methods-error")} message={methodsError} />
      </fieldset>
    </div>
  );
}

/** Saves the form's values with the requirement on; a stale version (another admin saved meanwhile) calls onStale. */
/**
 * B6, the lockout guardrail: shown when the save would sign members out now or set a deadline while nobody but the
 * actor (among owners and administrators) has 2FA. The server refuses the save until the box is ticked.
 */
export function SoleAdminConfirm({
  form,
  idPrefix,
  organizationName,
}: {
  form: PolicyFormApi;
  idPrefix: string;
  organizationName: string;
}) {
  const id = `${idPrefix}-confirmSoleAdmin`;
  const error = form.formState.errors.confirmSoleAdmin?.message;
  return (
    <div className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3" data-testid="sole-admin">
      <p className="font-medium text-amber-900">You are the only owner or administrator with 2FA</p>
      <p className="text-amber-900">
        If you lose your phone and your recovery codes, nobody in {organizationName} can reset your two-factor
        authentication, and you could be locked out of the organization. Ask another administrator to set up 2FA first,
        or confirm that you accept this.
      </p>
      <div className="flex gap-3">
        <input
          type="checkbox"
          id={id}
          className={checkboxClasses}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          {...form.register("confirmSoleAdmin")}
        />
        <label htmlFor={id} className="font-medium text-slate-900">
          I understand that nobody else can reset my 2FA, and I have saved my recovery codes
        </label>
      </div>
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

export async function saveRequiredPolicy(values: z.output<typeof policySchema>, onStale: () => void) {
  const r = await savePolicyAction({
    ...values,
    requireTwoFactor: true,
    graceDays: values.mode === "GRACE" ? values.graceDays : null,
  });
  if (!r.ok && r.code === "POLICY_STALE") onStale();
  return r;
}
