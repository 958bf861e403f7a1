"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import {
  Alert,
  Button,
  Card,
  CardBody,
  CardHeader,
  DangerIcon,
  Dialog,
  openDialog,
  Spinner,
  Table,
  TBody,
  Td,
  THead,
  Th,
  Tr,
} from "@/components/ui";
import { countInside } from "@/lib/net/cidr";
import { needsStepUp, StepUpForm } from "../../_components/step-up-form";
import { removeTrustedNetworkAction, setTrustedNetworkScopeAction } from "./trusted-network-actions";
import { TrustedNetworkForm } from "./trusted-network-form";
import {
  previewSentence,
  type TrustedNetworkRowView,
  type TrustedNetworkScopeValue,
  type TrustedNetworksView,
} from "./trusted-networks-view";

const NETWORK_ERROR = "We could not reach the server. Check your connection and try again.";

/**
 * Settings > Organization security > Trusted networks (issue 11 item 1): the list, whom it applies to, the add form.
 * A sign-in from one of these networks skips the code, and its session confirms with a code before any security or
 * admin change (S30). Free organizations see why they cannot add entries (and may still remove old ones).
 */
export function TrustedNetworksCard({ view }: { view: TrustedNetworksView }) {
  const inside = countInside(
    view.recentSignInIps,
    view.networks.map((n) => n.cidr),
  );
  return (
    <Card>
      <CardHeader
        title="Trusted networks"
        description="Sign-ins from your office networks skip the second step (the code from an authenticator app or a text). Such sessions are marked lower assurance: they confirm with a code before changing security settings or doing anything an administrator does. Members who have not set up two-factor authentication still have to set it up."
      />
      <CardBody className="space-y-6">
        {view.available ? null : (
          <Alert variant="info" title={`Not included in the ${view.planName} plan`}>
            Trusted networks are part of the Professional and Enterprise plans.{" "}
            <Link href="/dashboard#upgrade" className="font-medium underline underline-offset-4">
              Request an upgrade from the dashboard
            </Link>
            .{view.networks.length ? " The networks below are not used until then; you can still remove them." : ""}
          </Alert>
        )}
        {view.networks.length === 0 && !view.available ? null : view.networks.length === 0 ? (
          <p className="rounded-lg border border-dashed border-slate-300 px-4 py-5 text-center text-sm text-slate-600">
            No trusted networks yet: every sign-in asks for the code.
          </p>
        ) : (
          <NetworkTable networks={view.networks} />
        )}
        {view.networks.length > 0 ? (
          <p className="text-sm text-slate-700" data-testid="trusted-preview">
            {previewSentence(inside, view.recentSignInIps.length)}
          </p>
        ) : null}
        {view.available ? (
          <>
            <ScopeChoice scope={view.scope} />
            <div className="border-t border-slate-200 pt-6">
              <TrustedNetworkForm view={view} />
            </div>
          </>
        ) : null}
      </CardBody>
    </Card>
  );
}

function NetworkTable({ networks }: { networks: TrustedNetworkRowView[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200">
      <Table aria-label="Trusted networks">
        <THead>
          <Tr>
            <Th>Name</Th>
            <Th>Range</Th>
            <Th>Added</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </Tr>
        </THead>
        <TBody>
          {networks.map((n) => (
            <Tr key={n.id}>
              <Td className="font-medium text-slate-900">{n.label}</Td>
              <Td className="font-mono text-sm">{n.cidr}</Td>
              <Td className="text-sm text-slate-600">{n.addedText}</Td>
              <Td className="text-right">
                <RemoveNetwork network={n} />
              </Td>
            </Tr>
          ))}
        </TBody>
      </Table>
    </div>
  );
}

/** Remove, after a confirmation; a step-up first when the last one is older than 10 minutes (S42). */
function RemoveNetwork({ network }: { network: TrustedNetworkRowView }) {
  const router = useRouter();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const bodyId = useId();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [stepUp, setStepUp] = useState(false);

  async function remove() {
    setPending(true);
    setError(null);
    try {
      const r = await removeTrustedNetworkAction({ id: network.id });
      setStepUp(needsStepUp(r));
      if (r.ok) {
        dialogRef.current?.close();
        router.refresh();
      } else if (!needsStepUp(r)) setError(r.error);
    } catch {
      setError(NETWORK_ERROR);
    } finally {
      setPending(false);
    }
  }

  return (
    <>
      <Button
        variant="secondary"
        size="sm"
        aria-haspopup="dialog"
        aria-label={`Remove ${network.label}`}
        onClick={() => openDialog(dialogRef.current, { focus: "[data-autofocus]" })}
      >
        Remove
      </Button>
      <Dialog
        dialogRef={dialogRef}
        tone="danger"
        icon={<DangerIcon />}
        title={`Remove ${network.label}?`}
        describedBy={bodyId}
        busy={pending}
        onClosed={() => {
          setError(null);
          setStepUp(false);
        }}
        footer={
          <>
            <Button variant="secondary" disabled={pending} onClick={() => dialogRef.current?.close()} data-autofocus>
              Keep it
            </Button>
            <Button variant="danger" disabled={pending || stepUp} aria-busy={pending || undefined} onClick={remove}>
              {pending ? <Spinner /> : null}
              Remove network
            </Button>
          </>
        }
      >
        <p id={bodyId}>
          Sign-ins from <span className="font-mono">{network.cidr}</span> will ask for the code again. Sessions already
          signed in from it continue. The change is recorded in the audit log under your name.
        </p>
        {error ? <Alert variant="error">{error}</Alert> : null}
        {stepUp ? <StepUpForm onVerified={remove} /> : null}
      </Dialog>
    </>
  );
}

const SCOPES: { value: TrustedNetworkScopeValue; label: string; hint: string }[] = [
  { value: "EVERYONE", label: "Everyone", hint: "Owners and administrators skip the code from these networks too." },
  {
    value: "MEMBERS_ONLY",
    label: "Members only",
    hint: "Owners and administrators always enter their code, wherever they sign in.",
  },
];

/** Whom the networks apply to. Saved as soon as it is chosen; widening it to everyone needs a step-up (S42). */
function ScopeChoice({ scope }: { scope: TrustedNetworkScopeValue }) {
  const router = useRouter();
  const name = useId();
  const [choice, setChoice] = useState(scope);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [stepUp, setStepUp] = useState(false);
  const [saved, setSaved] = useState(false);

  async function save(next: TrustedNetworkScopeValue) {
    setChoice(next);
    setPending(true);
    setError(null);
    setSaved(false);
    try {
      const r = await setTrustedNetworkScopeAction({ scope: next });
      setStepUp(needsStepUp(r));
      if (r.ok) {
        setSaved(true);
        router.refresh();
      } else {
        if (!needsStepUp(r)) setError(r.error);
      }
    } catch {
      setError(NETWORK_ERROR);
    } finally {
      setPending(false);
    }
  }

  return (
    <fieldset className="space-y-3" disabled={pending}>
      <legend className="text-sm font-semibold text-slate-900">Who skips the code from these networks</legend>
      <div className="grid gap-3 sm:grid-cols-2">
        {SCOPES.map((s) => (
          <label
            key={s.value}
            className="flex cursor-pointer gap-3 rounded-lg border border-slate-200 p-3 has-checked:border-brand-600 has-checked:bg-brand-50 has-focus-visible:outline-2 has-focus-visible:outline-focus"
          >
            <input
              type="radio"
              name={name}
              value={s.value}
              checked={choice === s.value}
              onChange={() => save(s.value)}
              className="mt-1 size-4 accent-brand-600"
            />
            <span>
              <span className="block text-sm font-medium text-slate-900">{s.label}</span>
              <span className="block text-sm text-slate-600">{s.hint}</span>
            </span>
          </label>
        ))}
      </div>
      <p className="min-h-5 text-sm text-slate-600" role="status">
        {pending ? "Saving…" : saved ? "Saved." : ""}
      </p>
      {error ? <Alert variant="error">{error}</Alert> : null}
      {stepUp ? (
        <div className="space-y-2">
          <StepUpForm
            onVerified={async () => {
              setStepUp(false);
              await save(choice);
            }}
          />
          <Button
            variant="secondary"
            size="sm"
            onClick={() => {
              setStepUp(false);
              setChoice(scope);
            }}
          >
            Keep members only
          </Button>
        </div>
      ) : null}
    </fieldset>
  );
}
