"use client";

import { useRouter } from "next/navigation";
import { type RefObject, useEffect, useState } from "react";
import { Alert, Button, Dialog, Spinner } from "@/components/ui";
import { formatCount } from "@/lib/format/count";
import { needsStepUp, StepUpForm } from "../../_components/step-up-form";
import { savePolicyAction } from "./actions";
import { StaleAlert, useCloseWhenDoneElsewhere } from "./parts";
import { type ImpactView, type PolicyView, plural, type SaveResult } from "./view";

const NETWORK_ERROR = "We could not reach the server. Check your connection and try again.";

/** Turning the requirement off, after a confirmation that says who is emailed and that everyone keeps their 2FA. */
export function DisableDialog({
  dialogRef,
  policy,
  impact,
}: {
  dialogRef: RefObject<HTMLDialogElement | null>;
  policy: PolicyView;
  impact: ImpactView;
}) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<{ message: string; stale: boolean; version: number } | null>(null);
  const [result, setResult] = useState<SaveResult | null>(null);
  // S42: turning the requirement off needs a recent step-up; the server asks for it, the one step-up form answers.
  const [stepUp, setStepUp] = useState(false);

  // Reloaded after a stale answer: the confirmation now acts on the current version, and closes if someone else
  // already turned the requirement off.
  const version = policy.policyVersion;
  useEffect(() => {
    setError((e) => (e?.stale && e.version !== version ? null : e));
  }, [version]);
  const savingHere = useCloseWhenDoneElsewhere(dialogRef, !policy.requireTwoFactor, result);

  async function turnOff() {
    setPending(true);
    setError(null);
    savingHere.current = true;
    try {
      const r = await savePolicyAction({
        requireTwoFactor: false,
        mode: policy.mode ?? "NEXT_SIGN_IN",
        graceDays: policy.mode === "GRACE" ? policy.graceDays : null,
        exemptSso: policy.exemptSso,
        allowedMethods: policy.allowedMethods.length > 0 ? policy.allowedMethods : ["TOTP"],
        expectedVersion: policy.policyVersion,
      });
      setStepUp(needsStepUp(r));
      if (r.ok) {
        setResult(r.data);
        router.refresh();
        return;
      }
      savingHere.current = false;
      if (!needsStepUp(r)) setError({ message: r.error, stale: r.code === "POLICY_STALE", version });
    } catch {
      savingHere.current = false;
      setError({ message: NETWORK_ERROR, stale: false, version });
    } finally {
      setPending(false);
    }
  }

  const close = () => dialogRef.current?.close();
  const n = impact.membersWithout2fa;
  return (
    <Dialog
      dialogRef={dialogRef}
      size="lg"
      tone={result ? "default" : "danger"}
      title={result ? "Two-factor authentication is no longer required" : "Stop requiring two-factor authentication?"}
      busy={pending}
      onClosed={() => {
        savingHere.current = false;
        setResult(null);
        setError(null);
        setStepUp(false);
      }}
      footer={
        result ? (
          <Button variant="secondary" onClick={close}>
            Close
          </Button>
        ) : (
          <>
            <Button variant="secondary" disabled={pending} onClick={close} data-autofocus>
              Keep it required
            </Button>
            <Button variant="danger" disabled={pending || stepUp} aria-busy={pending || undefined} onClick={turnOff}>
              {pending ? <Spinner /> : null}
              Turn off requirement
            </Button>
          </>
        )
      }
    >
      {result ? (
        <Alert variant="success">
          <p role="status">
            Members of {policy.organizationName} no longer have to use 2FA. {plural(result.mailsQueued, "email")}{" "}
            queued.
          </p>
        </Alert>
      ) : (
        <>
          <p>Members of {policy.organizationName} will no longer have to use two-factor authentication.</p>
          <ul className="list-disc space-y-1.5 pl-5">
            <li>Every member will be emailed that it is no longer required.</li>
            <li>
              Members keep their own 2FA: their authenticator apps and recovery codes stay as they are, and each of them
              can choose to turn it off in Profile › Security.
            </li>
            {n > 0 ? (
              <li>
                {n === 1
                  ? "The member who has not set it up is no longer asked to"
                  : `The ${formatCount(n)} members who have not set it up are no longer asked to`}
                {policy.mode === "GRACE" ? ": their countdown and reminders stop." : "."}
              </li>
            ) : null}
            <li>The change is recorded in the audit log under your name.</li>
          </ul>
          {error?.stale ? (
            <StaleAlert message={error.message} />
          ) : error ? (
            <Alert variant="error">{error.message}</Alert>
          ) : null}
          {stepUp ? <StepUpForm onVerified={turnOff} /> : null}
        </>
      )}
    </Dialog>
  );
}
