"use client";

import Link from "next/link";
import { type RefObject, useId, useRef } from "react";
import { ConfirmAction, ExemptDialog, longDate, useTeammateRowActions } from "./teammate-action-forms";

// The per-row admin actions of Settings > Users on a teammate's two-factor authentication: a small menu (a popover in
// the top layer, so the table's scrolling wrapper never clips it) whose items open a confirmation dialog. Actions that
// do not apply are shown disabled with the reason; none are offered on the owner or on yourself. The server decides
// in every case (S25): this only keeps people from clicking what would be refused.

export interface TeammateActionsProps {
  membershipId: string;
  name: string;
  email: string;
  role: "OWNER" | "ADMIN" | "MEMBER";
  hasTwoFactor: boolean;
  isSelf: boolean;
  /** ISO 8601 end of an exemption in force, else null. */
  exemptUntil: string | null;
  /** Sign-in locked by failed attempts (issue 9 item 3), else null. ISO 8601 times. */
  lock?: TeammateLock | null;
}

export interface TeammateLock {
  passwordUntil: string | null;
  passwordScope: "account" | "network" | null;
  secondFactorUntil: string | null;
}

const HARD_LOCK_MS = 7 * 24 * 3600_000;
const time = (iso: string) =>
  new Date(iso).getTime() - Date.now() > HARD_LOCK_MS
    ? "until an administrator unlocks it"
    : `until ${new Date(iso).toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** "Password sign-in paused until 2026-12-01 15:05 UTC (from one or more networks)"; one sentence per lock. */
export function lockSentences(lock: TeammateLock): string[] {
  const out: string[] = [];
  if (lock.passwordUntil)
    out.push(
      `Password sign-in paused ${time(lock.passwordUntil)}${lock.passwordScope === "network" ? " from some networks" : " from every network"}.`,
    );
  if (lock.secondFactorUntil) out.push(`Two-factor sign-in locked ${time(lock.secondFactorUntil)}.`);
  return out;
}

function LockNote({ lock }: { lock: TeammateLock }) {
  const sentences = lockSentences(lock);
  return (
    <span
      className="inline-flex items-center rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900"
      title={sentences.join(" ")}
    >
      Locked<span className="sr-only">: {sentences.join(" ")}</span>
    </span>
  );
}

const NOTE = "text-xs text-slate-600";

export function TeammateActions(props: TeammateActionsProps) {
  // Short visible words (the cell sits in a wide table), the full reason for screen readers and on hover.
  if (props.isSelf)
    return (
      <Link
        href="/profile/security"
        className="text-xs font-medium text-brand-700 underline-offset-4 hover:underline"
        title="Your own two-factor settings are under Profile > Security."
      >
        Your security settings
      </Link>
    );
  if (props.role === "OWNER")
    return (
      <span className={NOTE} title="Nobody but the owner can change the owner's security settings.">
        {props.lock ? (
          <>
            <LockNote lock={props.lock} />{" "}
          </>
        ) : null}
        Protected
        <span className="sr-only"> (the owner): nobody but the owner can change the owner's security settings</span>
      </span>
    );
  return <ActionsMenu {...props} />;
}

function MenuItem(props: { label: string; note?: string; disabled?: boolean; onSelect: () => void }) {
  const noteId = useId();
  return (
    <li>
      <button
        type="button"
        disabled={props.disabled}
        aria-describedby={props.note ? noteId : undefined}
        onClick={props.onSelect}
        className="block w-full rounded-md px-3 pt-2 text-left text-sm font-medium text-slate-900 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand-600 disabled:cursor-not-allowed disabled:text-slate-500 disabled:hover:bg-transparent"
      >
        {props.label}
      </button>
      {props.note ? (
        <p id={noteId} className="px-3 pb-2 text-xs text-slate-600">
          {props.note}
        </p>
      ) : null}
    </li>
  );
}

function ActionsMenu(p: TeammateActionsProps) {
  const actions = useTeammateRowActions();
  const menuId = useId();
  const menuRef = useRef<HTMLDivElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const reset = useRef<HTMLDialogElement>(null);
  const codes = useRef<HTMLDialogElement>(null);
  const remind = useRef<HTMLDialogElement>(null);
  const exempt = useRef<HTMLDialogElement>(null);
  const unexempt = useRef<HTMLDialogElement>(null);
  const unlock = useRef<HTMLDialogElement>(null);
  const open = (dialog: RefObject<HTMLDialogElement | null>) => {
    menuRef.current?.hidePopover();
    dialog.current?.showModal();
  };
  const place = () => {
    const menu = menuRef.current;
    const rect = triggerRef.current?.getBoundingClientRect();
    if (!menu || !rect) return;
    menu.style.top = `${Math.min(rect.bottom + 4, window.innerHeight - 300)}px`;
    menu.style.right = `${Math.max(8, window.innerWidth - rect.right)}px`;
  };
  const noFactor = "They have not set up two-factor authentication.";
  return (
    <>
      {p.lock ? <LockNote lock={p.lock} /> : null}
      <button
        ref={triggerRef}
        type="button"
        popoverTarget={menuId}
        onClick={place}
        className="inline-flex min-h-8 items-center gap-1 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-900 shadow-xs hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-brand-600"
      >
        2FA actions<span className="sr-only"> for {p.name}</span>
        <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className="size-4 text-slate-500">
          <path d="M5.5 7.5 10 12l4.5-4.5z" />
        </svg>
      </button>
      <div
        ref={menuRef}
        id={menuId}
        popover="auto"
        role="group"
        aria-label={`Two-factor actions for ${p.name}`}
        className="fixed inset-auto m-0 w-72 rounded-lg border border-slate-200 bg-white p-1 text-left whitespace-normal shadow-lg"
      >
        <ul className="space-y-0.5">
          {p.lock ? (
            <MenuItem label="Unlock sign-in" note={lockSentences(p.lock).join(" ")} onSelect={() => open(unlock)} />
          ) : null}
          <MenuItem
            label="Reset 2FA"
            disabled={!p.hasTwoFactor}
            note={p.hasTwoFactor ? "For a teammate who lost their authenticator app." : noFactor}
            onSelect={() => open(reset)}
          />
          <MenuItem
            label="Issue new recovery codes"
            disabled={!p.hasTwoFactor}
            note={p.hasTwoFactor ? `Emailed to ${p.email}; you never see them.` : noFactor}
            onSelect={() => open(codes)}
          />
          <MenuItem
            label="Send 2FA reminder"
            disabled={p.hasTwoFactor}
            note={p.hasTwoFactor ? "They already use two-factor authentication." : "Emails a link to the setup page."}
            onSelect={() => open(remind)}
          />
          {p.exemptUntil ? (
            <MenuItem
              label="Remove exemption"
              note={`Exempt until ${longDate(p.exemptUntil)}.`}
              onSelect={() => open(unexempt)}
            />
          ) : (
            <MenuItem
              label="Exempt from 2FA requirement"
              disabled={p.hasTwoFactor}
              note={p.hasTwoFactor ? "They already use two-factor authentication." : "For 1 to 30 days, with a reason."}
              onSelect={() => open(exempt)}
            />
          )}
        </ul>
      </div>
      <ConfirmAction
        dialogRef={reset}
        danger
        title={`Reset two-factor authentication for ${p.name}?`}
        doneTitle="Two-factor authentication reset"
        confirmLabel="Reset 2FA"
        body={
          <>
            <p>Use this when {p.name} has lost access to their authenticator app. It will:</p>
            <ul className="list-disc space-y-1 pl-5">
              <li>remove their authenticator app and all their recovery codes;</li>
              <li>sign them out of every session, on every device;</li>
              <li>
                email {p.email} a single-use link (valid 24 hours) to set up two-factor authentication again with their
                password.
              </li>
            </ul>
            <p>The reset is recorded in the audit log under your name.</p>
          </>
        }
        run={() => actions.reset({ membershipId: p.membershipId })}
        success={(d) =>
          `Two-factor authentication for ${p.name} was reset and ${d.sessionsRevoked === 1 ? "1 session was" : `${d.sessionsRevoked} sessions were`} signed out. We emailed ${p.email} a link to set it up again.`
        }
      />
      <ConfirmAction
        dialogRef={codes}
        title={`Issue new recovery codes for ${p.name}?`}
        doneTitle="New recovery codes sent"
        confirmLabel="Issue and email codes"
        body={
          <p>
            Their current recovery codes stop working. Ten new codes are emailed to {p.email} only: they are never shown
            to you. Their authenticator app keeps working.
          </p>
        }
        run={() => actions.issueCodes({ membershipId: p.membershipId })}
        success={(d) => `${d.issued} new recovery codes were emailed to ${p.email}. The old codes no longer work.`}
      />
      <ConfirmAction
        dialogRef={remind}
        title={`Remind ${p.name} to set up two-factor authentication?`}
        doneTitle="Reminder sent"
        confirmLabel="Send reminder"
        body={<p>We email {p.email} a link to the setup page. You can send one reminder an hour.</p>}
        run={() => actions.remind({ membershipId: p.membershipId })}
        success={(d) => `Reminder sent to ${d.sentTo}.`}
      />
      <ConfirmAction
        dialogRef={unexempt}
        title={`Remove ${p.name}'s exemption?`}
        doneTitle="Exemption removed"
        confirmLabel="Remove exemption"
        body={<p>The organization's two-factor requirement applies to {p.name} again from now on.</p>}
        run={() => actions.revokeExemption({ membershipId: p.membershipId })}
        success={() => `${p.name} is no longer exempt from two-factor authentication.`}
      />
      {p.lock ? (
        <ConfirmAction
          dialogRef={unlock}
          title={`Unlock sign-in for ${p.name}?`}
          doneTitle="Sign-in unlocked"
          confirmLabel="Unlock"
          body={
            <>
              <p>{p.name}'s account was locked after repeated failed attempts:</p>
              <ul className="list-disc space-y-1 pl-5">
                {lockSentences(p.lock).map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ul>
              <p>
                Unlock only if you know the attempts were {p.name}'s own: unlocking also lets anyone guessing their
                password or codes try again. We email {p.email}, and the unlock is recorded in the audit log under your
                name.
              </p>
            </>
          }
          run={() => actions.unlock({ membershipId: p.membershipId })}
          success={() => `${p.name} can sign in again. We emailed ${p.email}.`}
        />
      ) : null}
      {p.exemptUntil ? null : <ExemptDialog dialogRef={exempt} membershipId={p.membershipId} name={p.name} />}
    </>
  );
}
