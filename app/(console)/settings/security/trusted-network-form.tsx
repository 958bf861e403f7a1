"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { ErrorSummary, FormField, SubmitButton } from "@/components/forms";
import { useActionForm } from "@/components/forms/use-action-form";
import { Alert, Button, Input } from "@/components/ui";
import { countInside, parseAllowlistEntry } from "@/lib/net/cidr";
import { addTrustedNetworkSchema } from "@/lib/validation/trusted-networks";
import { needsStepUp, StepUpForm } from "../../_components/step-up-form";
import { addTrustedNetworkAction } from "./trusted-network-actions";
import { previewSentence, type TrustedNetworksView } from "./trusted-networks-view";

/**
 * The add form: a label and an address or range, checked as you type once submitted (the same rules as the server:
 * lib/net/cidr.ts), "use my current address", and the preview of how many recent sign-ins the list would then cover.
 * Adding needs a recent step-up (S42): the one step-up form appears below, and the save is retried after it.
 */
export function TrustedNetworkForm({ view }: { view: TrustedNetworksView }) {
  const router = useRouter();
  const id = useId();
  const [stepUp, setStepUp] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const { form, formError, run } = useActionForm(addTrustedNetworkSchema, { defaultValues: { label: "", cidr: "" } });
  const cidr = form.watch("cidr");
  const candidate = parseAllowlistEntry(cidr ?? "");
  const total = view.recentSignInIps.length;
  const withCandidate =
    candidate.ok && (cidr ?? "").trim() !== ""
      ? countInside(view.recentSignInIps, [...view.networks.map((n) => n.cidr), candidate.cidr])
      : null;

  const onSubmit = form.handleSubmit(async (values) => {
    setSaved(null);
    const data = await run(async () => {
      const r = await addTrustedNetworkAction(values);
      setStepUp(needsStepUp(r));
      return r;
    });
    if (data) {
      setSaved(
        `Added ${values.label.trim()} (${data.cidr}).${data.notes.length ? ` ${data.notes.join(" ")}` : ""} Sign-ins from it skip the code from now on.`,
      );
      form.reset({ label: "", cidr: "" });
      router.refresh();
    }
  });

  return (
    <div className="space-y-4">
      <form onSubmit={onSubmit} noValidate aria-label="Add a trusted network" className="space-y-4">
        <h3 className="text-sm font-semibold text-slate-900">Add a network</h3>
        <ErrorSummary form={form} message={stepUp ? null : formError} />
        <div className="grid gap-4 sm:grid-cols-2">
          <FormField label="Name" htmlFor={`${id}-label`} error={form.formState.errors.label?.message}>
            <Input id={`${id}-label`} placeholder="Berlin office" autoComplete="off" {...form.register("label")} />
          </FormField>
          <FormField
            label="IP address or range"
            htmlFor={`${id}-cidr`}
            description="IPv4 or IPv6, one address or a range such as 203.0.113.0/24 (at most a /8, or a /32 of IPv6)."
            error={form.formState.errors.cidr?.message}
          >
            <Input
              id={`${id}-cidr`}
              placeholder="203.0.113.0/24"
              autoComplete="off"
              spellCheck={false}
              className="font-mono"
              {...form.register("cidr")}
            />
          </FormField>
        </div>
        <div className="flex flex-wrap items-center gap-x-3 gap-y-2 text-sm text-slate-700">
          {view.currentIp ? (
            <>
              <span>
                Your current address: <span className="font-mono font-medium text-slate-900">{view.currentIp}</span>
                {view.currentIpTrustedBy ? ` (trusted: ${view.currentIpTrustedBy})` : ""}
              </span>
              {view.currentIpTrustedBy ? null : (
                <Button
                  type="button"
                  variant="secondary"
                  size="sm"
                  onClick={() => {
                    form.setValue("cidr", view.currentIp ?? "", { shouldDirty: true, shouldValidate: true });
                    if (!form.getValues("label")) form.setFocus("label");
                  }}
                >
                  Use my current address
                </Button>
              )}
            </>
          ) : (
            <span>We cannot tell your current address from this request.</span>
          )}
        </div>
        {withCandidate !== null && candidate.ok ? (
          <p className="text-sm text-slate-700" role="status" data-testid="candidate-preview">
            With {candidate.cidr}: {previewSentence(withCandidate, total, "the trusted networks")}
            {candidate.notes.length ? <span className="block text-slate-600">{candidate.notes.join(" ")}</span> : null}
          </p>
        ) : null}
        <div className="flex flex-wrap items-center gap-3">
          <SubmitButton pending={form.formState.isSubmitting}>Add network</SubmitButton>
          <p className="text-sm text-slate-600">
            Adding may first ask you to confirm with a code from your authenticator app or your phone.
          </p>
        </div>
      </form>
      {stepUp ? <StepUpForm onVerified={() => onSubmit()} /> : null}
      {saved ? (
        <Alert variant="success" title="Network added">
          {saved}
        </Alert>
      ) : null}
    </div>
  );
}
