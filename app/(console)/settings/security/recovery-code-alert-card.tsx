"use client";

import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { Alert, Button, Card, CardBody, CardHeader, Dialog, openDialog, Spinner } from "@/components/ui";
import { StepUpForm } from "../../_components/step-up-form";
import { setRecoveryCodeAlertAction } from "./actions";
import { Switch } from "./parts";

const NETWORK_ERROR = "We could not reach the server. Check your connection and try again.";

/**
 * B4: "Alert administrators when a member uses a recovery code" (on by default). Turning it on saves at once;
 * turning it off asks first and, as a weakening (S42), may need the one step-up form.
 */
export function RecoveryCodeAlertCard({ enabled }: { enabled: boolean }) {
  const router = useRouter();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const descriptionId = useId();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [stepUp, setStepUp] = useState(false);

  async function save(next: boolean) {
    setPending(true);
    setError(null);
    try {
      const r = await setRecoveryCodeAlertAction({ enabled: next });
      setStepUp(!r.ok && r.code === "STEP_UP_REQUIRED");
      if (r.ok) {
        dialogRef.current?.close();
        router.refresh();
      } else if (r.code !== "STEP_UP_REQUIRED") setError(r.error);
    } catch {
      setError(NETWORK_ERROR);
    } finally {
      setPending(false);
    }
  }

  return (
    <Card>
      <CardHeader
        title="Recovery code alerts"
        description="Email every owner and administrator when a member signs in with a recovery code instead of their authenticator app: they may have lost their phone, or someone may have their password and a code."
        actions={
          <div className="flex items-center gap-3">
            <span className={enabled ? "text-sm font-medium text-brand-800" : "text-sm font-medium text-slate-600"}>
              {enabled ? "On" : "Off"}
            </span>
            <Switch
              checked={enabled}
              label="Alert administrators when a member uses a recovery code"
              describedBy={descriptionId}
              disabled={pending}
              onClick={() => (enabled ? openDialog(dialogRef.current, { focus: "[data-autofocus]" }) : save(true))}
            />
          </div>
        }
      />
      <CardBody>
        <p id={descriptionId} className="text-sm text-slate-700">
          {enabled
            ? "On: administrators are emailed with the member's name, the time, the network and the device."
            : "Off: only the member is emailed when one of their recovery codes is used."}{" "}
          Changes are recorded in the audit log.
        </p>
        {error && !dialogRef.current?.open ? (
          <Alert variant="error" className="mt-3">
            {error}
          </Alert>
        ) : null}
      </CardBody>
      <Dialog
        dialogRef={dialogRef}
        tone="danger"
        title="Stop alerting administrators?"
        busy={pending}
        onClosed={() => {
          setError(null);
          setStepUp(false);
        }}
        footer={
          <>
            <Button variant="secondary" disabled={pending} onClick={() => dialogRef.current?.close()} data-autofocus>
              Keep alerts on
            </Button>
            <Button
              variant="danger"
              disabled={pending || stepUp}
              aria-busy={pending || undefined}
              onClick={() => save(false)}
            >
              {pending ? <Spinner /> : null}
              Turn off alerts
            </Button>
          </>
        }
      >
        <p>
          Administrators will no longer hear when a member signs in with a recovery code. The member is still emailed
          each time. The change is recorded in the audit log under your name.
        </p>
        {error ? <Alert variant="error">{error}</Alert> : null}
        {stepUp ? <StepUpForm onVerified={() => save(false)} /> : null}
      </Dialog>
    </Card>
  );
}
