"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { ErrorSummary, FormField, SubmitButton } from "@/components/forms";
import { type ActionResultLike, useActionForm } from "@/components/forms/use-action-form";
import { Alert, Button, Card, CardBody, CardHeader, Input, Select, useTimeZone } from "@/components/ui";
import { formatDay } from "@/lib/format/dates";
import { type UpgradeRequestInput, upgradeRequestSchema } from "@/lib/validation/dashboard";

// The Free plan's upgrade request (issue 15 §6): a short form (plan, seats, message) that goes to the vendor's sales
// address; the plan itself changes only when the vendor changes it. While a request waits, the card says so.

export interface PendingRequest {
  plan: string;
  seats: number;
  requestedAt: string;
  requestedBy: string;
}

type Submit = (input: UpgradeRequestInput) => Promise<ActionResultLike<{ requestedAt: string; plan: string }>>;

export function UpgradeCard(props: { plan: string; pending: PendingRequest | null; members: number; submit: Submit }) {
  const router = useRouter();
  const timeZone = useTimeZone();
  const [open, setOpen] = useState(false);
  const { form, formError, run } = useActionForm(upgradeRequestSchema, {
    defaultValues: { plan: "PROFESSIONAL", seats: Math.max(1, props.members), message: "" },
  });
  const { register, formState } = form;
  // "Upgrade" elsewhere in the console links to /dashboard#upgrade: after a client-side navigation through the
  // dashboard's loading state, the browser has no anchor to scroll to yet; bring the card into view once it is there.
  useEffect(() => {
    if (window.location.hash === "#upgrade") document.getElementById("upgrade")?.scrollIntoView({ block: "start" });
  }, []);
  const onSubmit = form.handleSubmit(async (values) => {
    const done = await run(() => props.submit(values));
    if (done) {
      setOpen(false);
      router.refresh();
    }
  });

  return (
    <Card data-testid="upgrade-card" id="upgrade">
      <CardHeader
        title={`${props.plan} plan`}
        description="Requiring two-factor authentication for everyone is part of the Professional and Enterprise plans."
      />
      <CardBody className="space-y-4">
        {props.pending ? (
          <Alert
            variant="info"
            title={`Upgrade to ${props.pending.plan} requested on ${formatDay(props.pending.requestedAt, timeZone)}`}
          >
            {props.pending.requestedBy} asked for {props.pending.seats} seats. Our sales team replies by email; the plan
            changes once they have set it up.
          </Alert>
        ) : open ? (
          <form onSubmit={onSubmit} noValidate className="max-w-md space-y-4" aria-label="Request an upgrade">
            <FormField label="Plan" htmlFor="upgrade-plan" error={formState.errors.plan?.message}>
              <Select id="upgrade-plan" {...register("plan")}>
                <option value="PROFESSIONAL">Professional</option>
                <option value="ENTERPRISE">Enterprise</option>
              </Select>
            </FormField>
            <FormField label="Seats" htmlFor="upgrade-seats" error={formState.errors.seats?.message}>
              <Input
                id="upgrade-seats"
                type="number"
                min={1}
                inputMode="numeric"
                {...register("seats", { valueAsNumber: true })}
              />
            </FormField>
            <FormField
              label="Message"
              htmlFor="upgrade-message"
              description="Optional: anything our sales team should know."
              error={formState.errors.message?.message}
            >
              <textarea
                id="upgrade-message"
                rows={3}
                className="block w-full rounded-lg border border-slate-300 px-3 py-2 text-sm focus-visible:outline-2 focus-visible:outline-brand-600"
                {...register("message")}
              />
            </FormField>
            <ErrorSummary form={form} message={formError} />
            <div className="flex gap-2">
              <SubmitButton pending={formState.isSubmitting}>Send request</SubmitButton>
              <Button variant="secondary" onClick={() => setOpen(false)}>
                Cancel
              </Button>
            </div>
          </form>
        ) : (
          <Button onClick={() => setOpen(true)}>Request an upgrade</Button>
        )}
      </CardBody>
    </Card>
  );
}
