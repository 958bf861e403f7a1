"use client";

import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { FormField } from "@/components/forms";
import { Alert, Button, Card, CardBody, CardHeader, Dialog, Input, openDialog, Spinner } from "@/components/ui";
import { needsStepUp, StepUpForm } from "../../_components/step-up-form";
import { setDeviceTrustAction } from "./actions";
import { Switch } from "./parts";

const NETWORK_ERROR = "We could not reach the server. Check your connection and try again.";

/**
 * Issue 11: "Remember this device" days (0–30, 0 = off) and the risk-based prompt. Loosening either (more days, the
 * risk option on) may need the one step-up form (S42); lowering the days forgets older remembered devices, so it is
 * confirmed first.
 */
export function DeviceTrustCard({
  rememberDeviceDays,
  riskBasedPrompt,
  rememberedDevices,
}: {
  rememberDeviceDays: number;
  riskBasedPrompt: boolean;
  /** Unexpired remembered devices of the members now. */
  rememberedDevices: number;
}) {
  const router = useRouter();
  const confirmRef = useRef<HTMLDialogElement>(null);
  const riskHintId = useId();
  const [days, setDays] = useState(String(rememberDeviceDays));
  const [risk, setRisk] = useState(riskBasedPrompt);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [daysError, setDaysError] = useState<string | null>(null);
  const [stepUp, setStepUp] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);

  const parsedDays = /^\d{1,2}$/.test(days.trim()) ? Number(days.trim()) : Number.NaN;
  const dirty = parsedDays !== rememberDeviceDays || risk !== riskBasedPrompt;
  const lowering = Number.isInteger(parsedDays) && parsedDays < rememberDeviceDays && rememberedDevices > 0;

  async function save() {
    setPending(true);
    setError(null);
    setDaysError(null);
    setSaved(null);
    try {
      const r = await setDeviceTrustAction({
        rememberDeviceDays: parsedDays,
        riskBasedPrompt: risk,
      });
      setStepUp(needsStepUp(r));
      if (r.ok) {
        confirmRef.current?.close();
        setSaved(
          r.data.devicesForgotten > 0
            ? `Saved. ${r.data.devicesForgotten === 1 ? "1 remembered device was" : `${r.data.devicesForgotten} remembered devices were`} forgotten.`
            : "Saved.",
        );
        router.refresh();
      } else if (!needsStepUp(r)) {
        const onDays = r.fieldErrors?.rememberDeviceDays;
        if (onDays) setDaysError(onDays);
        else setError(r.error);
        confirmRef.current?.close();
      }
    } catch {
      setError(NETWORK_ERROR);
    } finally {
      setPending(false);
    }
  }

  function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!Number.isInteger(parsedDays) || parsedDays < 0 || parsedDays > 30) {
      setDaysError("Enter a number of days from 0 to 30 (0 turns remembering off).");
      return;
    }
    if (lowering) openDialog(confirmRef.current, { focus: "[data-autofocus]" });
    else void save();
  }

  return (
    <Card>
      <CardHeader
        title="Remembered devices and unusual sign-ins"
        description="Let members skip the code on a browser they use every day, and ask for it only when a sign-in looks unusual. Members without two-factor authentication still have to set it up."
      />
      <CardBody>
        <form onSubmit={submit} noValidate className="space-y-6" aria-label="Remembered devices and unusual sign-ins">
          <FormField
            label="Remember a device for (days)"
            htmlFor="remember-device-days"
            description={`0 turns “Remember this device” off; at most 30. Members in several organizations get the lowest. ${
              rememberedDevices === 1 ? "1 device is" : `${rememberedDevices} devices are`
            } remembered now.`}
            error={daysError ?? undefined}
          >
            <Input
              id="remember-device-days"
              inputMode="numeric"
              className="max-w-28"
              value={days}
              onChange={(e) => {
                setDays(e.target.value);
                setDaysError(null);
                setSaved(null);
              }}
            />
          </FormField>
          {lowering ? (
            <p className="text-sm text-amber-800" data-testid="lowering-note">
              {parsedDays === 0
                ? "Turning it off forgets every remembered device of your members."
                : `Devices remembered more than ${parsedDays} days ago will be forgotten; the others expire sooner.`}
            </p>
          ) : null}
          <div className="flex items-start justify-between gap-4">
            <div>
              <p className="text-sm font-medium text-slate-900">Ask for a code only when a sign-in looks unusual</p>
              <p id={riskHintId} className="mt-1 text-sm text-slate-600">
                Skip the code when the member signs in from a remembered device, or from a network and country where
                they entered a code in the last 30 days. A new device or country always asks, and the member is emailed.
                Applies to members whose organizations all turn it on.
              </p>
            </div>
            <div className="flex items-center gap-3">
              <span className={risk ? "text-sm font-medium text-brand-800" : "text-sm font-medium text-slate-600"}>
                {risk ? "On" : "Off"}
              </span>
              <Switch
                checked={risk}
                label="Ask for a code only when a sign-in looks unusual"
                describedBy={riskHintId}
                disabled={pending}
                opensDialog={false}
                onClick={() => {
                  setRisk(!risk);
                  setSaved(null);
                }}
              />
            </div>
          </div>
          {error ? <Alert variant="error">{error}</Alert> : null}
          {stepUp && !confirmRef.current?.open ? <StepUpForm onVerified={() => save()} /> : null}
          <div className="flex items-center gap-3">
            <Button type="submit" disabled={pending || !dirty} aria-busy={pending || undefined}>
              {pending ? <Spinner /> : null}
              Save
            </Button>
            {saved ? (
              <p role="status" className="text-sm text-slate-700">
                {saved}
              </p>
            ) : (
              <p className="text-sm text-slate-600">Changes are recorded in the audit log.</p>
            )}
          </div>
        </form>
      </CardBody>
      <Dialog
        dialogRef={confirmRef}
        tone="danger"
        title={parsedDays === 0 ? "Turn off remembered devices?" : `Lower to ${parsedDays} days?`}
        busy={pending}
        onClosed={() => setStepUp(false)}
        footer={
          <>
            <Button variant="secondary" disabled={pending} onClick={() => confirmRef.current?.close()} data-autofocus>
              Cancel
            </Button>
            <Button
              variant="danger"
              disabled={pending || stepUp}
              aria-busy={pending || undefined}
              onClick={() => save()}
            >
              {pending ? <Spinner /> : null}
              {parsedDays === 0 ? "Turn off and forget devices" : "Lower and forget older devices"}
            </Button>
          </>
        }
      >
        <p>
          {parsedDays === 0
            ? "Every remembered device of your members is forgotten now: their next sign-in asks for a code."
            : `Devices remembered more than ${parsedDays} days ago are forgotten now; the others expire ${parsedDays} days after they were remembered.`}{" "}
          The change is recorded in the audit log under your name.
        </p>
        {stepUp ? <StepUpForm onVerified={() => save()} /> : null}
      </Dialog>
    </Card>
  );
}
