"use client";

import Link from "next/link";
import { type ReactNode, useRef } from "react";
import { Alert, Badge, Button, ButtonLink, Card, CardBody, CardHeader, openDialog } from "@/components/ui";
import { formatCount } from "@/lib/format/count";
import { DisableDialog } from "./disable-dialog";
import { EnableDialog } from "./enable-dialog";
import { ImpactSummary, ImpactTable, Switch } from "./parts";
import { PolicySettingsForm } from "./policy-form";
import { type ActorView, type ImpactView, MODE_LABELS, type PolicyView, plural } from "./view";

// Settings > Organization security, the interactive part: the "Require two-factor authentication" card (switch,
// state, numbers), the rollout form while it is on, the members without 2FA, and the on/off dialogs. The server
// decides every change (savePolicyAction → saveTwoFactorPolicy); this only explains it before and after.

const link = "font-medium underline underline-offset-4";

function LockIcon() {
  return (
    <svg
      viewBox="0 0 20 20"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.6"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      className="size-5"
    >
      <rect x="4" y="8.75" width="12" height="8" rx="1.5" />
      <path d="M6.75 8.75V6.5a3.25 3.25 0 0 1 6.5 0v2.25" />
    </svg>
  );
}

function UpgradeNotice({ on }: { on: boolean }) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-4 rounded-lg border border-brand-200 bg-brand-50 px-4 py-3.5">
      <div className="flex min-w-0 flex-1 basis-72 gap-3">
        <span className="flex size-9 shrink-0 items-center justify-center rounded-full bg-white text-brand-700 ring-1 ring-brand-200">
          <LockIcon />
        </span>
        <div className="text-sm">
          <p className="font-semibold text-brand-900">Available on the Professional and Enterprise plans</p>
          <p className="mt-0.5 text-slate-700">
            {on
              ? "Your organization is on the Free plan: the requirement stays as it is and can be turned off, but not changed."
              : "Your organization is on the Free plan. Every member can still turn on two-factor authentication for their own account in Profile › Security."}
          </p>
        </div>
      </div>
      <div className="flex flex-col items-start gap-1 sm:items-end">
        <ButtonLink href="/dashboard#upgrade" variant="secondary" size="sm" aria-describedby="upgrade-note">
          Upgrade
        </ButtonLink>
        <p id="upgrade-note" className="text-xs text-slate-600">
          Request it on the dashboard; our sales team replies by email.
        </p>
      </div>
    </div>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-sm text-slate-600">{term}</dt>
      <dd className="mt-0.5 text-sm font-medium text-slate-900">{children}</dd>
    </div>
  );
}

function modeText(policy: PolicyView): string {
  if (policy.mode === "GRACE") return `Grace period of ${plural(policy.graceDays ?? 0, "day")}`;
  return policy.mode ? MODE_LABELS[policy.mode] : "—";
}

function CurrentState({ policy }: { policy: PolicyView }) {
  const passed = policy.daysLeft === 0;
  return (
    <dl className="grid gap-x-6 gap-y-4 sm:grid-cols-2 lg:grid-cols-3" data-testid="policy-state">
      <Fact term="Required since">{policy.requiredSinceText ?? "—"}</Fact>
      <Fact term="Rollout">{modeText(policy)}</Fact>
      {policy.mode === "GRACE" && policy.graceDeadlineText ? (
        <Fact term="Deadline">
          <span className="flex flex-wrap items-center gap-2">
            <time dateTime={policy.graceDeadline ?? undefined}>{policy.graceDeadlineText}</time>
            <Badge variant={passed ? "danger" : (policy.daysLeft ?? 0) <= 1 ? "warning" : "info"}>
              {passed
                ? "Passed"
                : (policy.daysLeft ?? 0) <= 1
                  ? "Less than a day left"
                  : `${policy.daysLeft} days left`}
            </Badge>
          </span>
        </Fact>
      ) : null}
      <Fact term="SSO users">{policy.exemptSso ? "Exempt" : "Not exempt"}</Fact>
      <Fact term="Allowed methods">
        {policy.allowedMethods.map((m) => (m === "TOTP" ? "Authenticator app" : "SMS")).join(", ")}
      </Fact>
      {policy.lastChangeText ? <Fact term="Last changed">{policy.lastChangeText}</Fact> : null}
    </dl>
  );
}

export function PolicyPanel({ policy, impact, actor }: { policy: PolicyView; impact: ImpactView; actor: ActorView }) {
  const enableRef = useRef<HTMLDialogElement>(null);
  const disableRef = useRef<HTMLDialogElement>(null);
  const on = policy.requireTwoFactor;
  const freePlan = policy.plan === "FREE";
  const canTurnOn = !on && !freePlan;
  const openEnable = () => openDialog(enableRef.current, { focus: 'input[type="radio"]:checked' });
  const openDisable = () => openDialog(disableRef.current, { focus: "[data-autofocus]" });
  const n = impact.membersWithout2fa;

  return (
    <>
      <Card>
        <CardHeader
          title="Require two-factor authentication"
          description="Every member, whether employee, client or contractor, must use a second factor to sign in."
          actions={
            <div className="flex items-center gap-3">
              <span className={on ? "text-sm font-medium text-brand-800" : "text-sm font-medium text-slate-600"}>
                {on ? "On" : "Off"}
              </span>
              <Switch
                checked={on}
                label="Require two-factor authentication"
                disabled={!on && freePlan}
                onClick={on ? openDisable : openEnable}
              />
            </div>
          }
        />
        <CardBody className="space-y-5">
          {freePlan ? <UpgradeNotice on={on} /> : null}
          {on ? <CurrentState policy={policy} /> : null}
          {canTurnOn && !actor.hasTwoFactor ? (
            <Alert variant="warning" title="Set up two-factor authentication for yourself first">
              You cannot require it while you do not use it: you could lock yourself out.{" "}
              <Link href="/profile/security" className={link}>
                Set it up in Profile › Security
              </Link>
              , then come back here.
            </Alert>
          ) : null}
          <ImpactSummary impact={impact} />
          {canTurnOn ? (
            <div className="flex flex-wrap items-center justify-between gap-4">
              <p className="min-w-0 flex-1 basis-80 text-sm text-slate-700">
                Before anything changes you see who is affected and choose how they are brought in: signed out now, at
                their next sign-in, or after a grace period of up to 30 days. Every member is emailed.
              </p>
              <Button onClick={openEnable} aria-haspopup="dialog">
                Review impact and turn on
              </Button>
            </div>
          ) : null}
        </CardBody>
      </Card>

      {on && !freePlan ? (
        <Card>
          <CardHeader
            title="Rollout and options"
            description="How members without 2FA are brought in, and which second factors count. Stricter settings apply to everyone at once."
          />
          <CardBody>
            <PolicySettingsForm policy={policy} impact={impact} actor={actor} />
          </CardBody>
        </Card>
      ) : null}

      {n > 0 ? (
        <Card>
          <CardHeader
            title={`Members who have not set up 2FA (${formatCount(n)})`}
            description={
              on
                ? "They are asked to set it up as the rollout above says. You can remind or exempt them in Users."
                : freePlan
                  ? "Anyone can turn on two-factor authentication for their own account, on every plan."
                  : "They would be affected if you required two-factor authentication."
            }
            actions={
              <Link
                href="/settings/users?status=not-set-up"
                className="text-sm font-medium text-brand-700 underline-offset-4 hover:underline"
              >
                Open in Users
              </Link>
            }
          />
          <ImpactTable impact={impact} label="Members who have not set up 2FA" />
        </Card>
      ) : null}

      {on ? (
        <Card>
          <CardHeader
            title="Turn off the requirement"
            description="Every member is emailed. Members keep their own 2FA."
            actions={
              <Button variant="danger" onClick={openDisable} aria-haspopup="dialog">
                Turn off
              </Button>
            }
          />
        </Card>
      ) : null}

      {!freePlan ? <EnableDialog dialogRef={enableRef} policy={policy} impact={impact} actor={actor} /> : null}
      <DisableDialog dialogRef={disableRef} policy={policy} impact={impact} />
    </>
  );
}
