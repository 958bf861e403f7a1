"use client";

import { createContext, type ReactNode, useContext, useEffect, useId, useMemo, useRef, useState } from "react";
import { flushSync } from "react-dom";
import type { ActionResultLike } from "@/components/forms/use-action-form";
import { openDialog, useTimeZone } from "@/components/ui";
import { formatDay } from "@/lib/format/dates";
import { lockSentences, ROW_ACTIONS_MENU_ID, type RowActionTarget } from "./row-action-target";
import { ConfirmAction, ExemptDialog, type TeammateRowActions } from "./teammate-action-forms";

// The row actions of Settings > Users, rendered ONCE for the whole table: one menu (a popover in the top layer, so the
// table's scrolling wrapper never clips it) and one set of dialogs, opened for the teammate whose "2FA actions"
// button was pressed (each row has a plain button, see RowActionsCell). Actions
// that do not apply are shown disabled with the reason. The server decides in every case (S25: every action checks
// who may do what to whom): this only keeps people from clicking what would be refused.

type Kind = "reset" | "codes" | "remind" | "exempt" | "unexempt" | "unlock" | "sign-out";
type Promotion = { membershipId: string; name: string };
type ChangeRole = (input: { membershipId: string; role: "ADMIN" | "MEMBER" }) => Promise<ActionResultLike<unknown>>;

const PromotionContext = createContext<((p: Promotion, opener: HTMLElement) => void) | null>(null);

/** For the role pickers in the rows: opens the one promotion confirmation for that teammate. */
export function useConfirmPromotion() {
  const confirm = useContext(PromotionContext);
  if (!confirm) throw new Error("The role picker needs the TeammateActionsHost around the table.");
  return confirm;
}

export function TeammateActionsHost(props: {
  /** The teammates that have row actions (not the owner, not yourself). */
  targets: RowActionTarget[];
  actions: TeammateRowActions;
  changeRole: ChangeRole;
  children: ReactNode;
}) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const menuRef = useRef<HTMLElement>(null);
  const confirmRef = useRef<HTMLDialogElement>(null);
  const exemptRef = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const [target, setTarget] = useState<RowActionTarget | null>(null);
  const [open, setOpen] = useState<Kind | Promotion | null>(null);
  const timeZone = useTimeZone();
  const byId = useMemo(() => new Map(props.targets.map((t) => [t.membershipId, t])), [props.targets]);

  // One listener for every row's button: picks the teammate before the browser shows the menu (the button's
  // popovertarget), and places the menu under the button.
  useEffect(() => {
    const wrap = wrapRef.current;
    const onClick = (e: MouseEvent) => {
      const button = e.target instanceof Element ? e.target.closest<HTMLElement>("[data-row-actions]") : null;
      const chosen = button ? byId.get(button.dataset.rowActions ?? "") : undefined;
      if (!button || !chosen) return;
      opener.current = button;
      flushSync(() => setTarget(chosen));
      const menu = menuRef.current;
      const rect = button.getBoundingClientRect();
      if (!menu) return;
      menu.style.top = `${Math.min(rect.bottom + 4, window.innerHeight - 300)}px`;
      menu.style.right = `${Math.max(8, window.innerWidth - rect.right)}px`;
    };
    wrap?.addEventListener("click", onClick);
    return () => wrap?.removeEventListener("click", onClick);
  }, [byId]);

  const show = (next: Kind | Promotion, from: HTMLElement | null) => {
    menuRef.current?.hidePopover();
    flushSync(() => setOpen(next));
    openDialog(next === "exempt" ? exemptRef.current : confirmRef.current, { opener: from ?? undefined });
  };
  const confirmPromotion = (p: Promotion, from: HTMLElement) => show(p, from);
  const confirm = open && open !== "exempt" ? confirmation(open, target, { ...props, timeZone }) : null;

  return (
    <PromotionContext.Provider value={confirmPromotion}>
      <div ref={wrapRef}>{props.children}</div>
      <section
        ref={menuRef}
        id={ROW_ACTIONS_MENU_ID}
        popover="auto"
        aria-label={target ? `Two-factor actions for ${target.name}` : "Two-factor actions"}
        className="fixed inset-auto m-0 w-72 rounded-lg border border-slate-200 bg-white p-1 text-left whitespace-normal shadow-lg"
      >
        {target ? <Menu target={target} choose={(kind) => show(kind, opener.current)} /> : null}
      </section>
      {confirm ? <ConfirmAction dialogRef={confirmRef} {...confirm} success={(words) => words} /> : null}
      {open === "exempt" && target ? (
        <ExemptDialog
          key={target.membershipId}
          dialogRef={exemptRef}
          membershipId={target.membershipId}
          name={target.name}
          grantExemption={props.actions.grantExemption}
        />
      ) : null}
    </PromotionContext.Provider>
  );
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

function Menu({ target: p, choose }: { target: RowActionTarget; choose: (kind: Kind) => void }) {
  const timeZone = useTimeZone();
  const noFactor = "They have not set up two-factor authentication.";
  const enabled = "They already use two-factor authentication.";
  return (
    <ul className="space-y-0.5">
      {p.lock ? (
        <MenuItem
          label="Unlock sign-in"
          note={lockSentences(p.lock, timeZone).join(" ")}
          onSelect={() => choose("unlock")}
        />
      ) : null}
      <MenuItem
        label="Reset 2FA"
        disabled={!p.hasTwoFactor}
        note={p.hasTwoFactor ? "For a teammate who lost their authenticator app." : noFactor}
        onSelect={() => choose("reset")}
      />
      <MenuItem
        label="Issue new recovery codes"
        disabled={!p.hasTwoFactor}
        note={p.hasTwoFactor ? `Emailed to ${p.email}; you never see them.` : noFactor}
        onSelect={() => choose("codes")}
      />
      <MenuItem
        label="Sign out everywhere"
        note="Ends all their sessions; their 2FA stays as it is."
        onSelect={() => choose("sign-out")}
      />
      <MenuItem
        label="Send 2FA reminder"
        disabled={p.hasTwoFactor}
        note={p.hasTwoFactor ? enabled : "Emails a link to the setup page."}
        onSelect={() => choose("remind")}
      />
      {p.exemptUntil ? (
        <MenuItem
          label="Remove exemption"
          note={`Exempt until ${formatDay(p.exemptUntil, timeZone)}.`}
          onSelect={() => choose("unexempt")}
        />
      ) : (
        <MenuItem
          label="Exempt from 2FA requirement"
          disabled={p.hasTwoFactor}
          note={p.hasTwoFactor ? enabled : "For 1 to 30 days, with a reason."}
          onSelect={() => choose("exempt")}
        />
      )}
    </ul>
  );
}

/** The one confirmation's words and action; `run` answers with the sentence to show once it succeeded. */
interface Confirmation {
  title: string;
  doneTitle: string;
  confirmLabel: string;
  body: ReactNode;
  danger?: boolean;
  run: () => Promise<ActionResultLike<ReactNode>>;
}

/** An action's result with its data put into words. */
async function say<T>(result: Promise<ActionResultLike<T>>, words: (data: T) => ReactNode) {
  const r = await result;
  return r.ok ? { ok: true as const, data: words(r.data) } : r;
}

/** What the one confirmation dialog says and does, for the chosen action and teammate. */
function confirmation(
  open: Exclude<Kind, "exempt"> | Promotion,
  p: RowActionTarget | null,
  { actions, changeRole, timeZone }: { actions: TeammateRowActions; changeRole: ChangeRole; timeZone: string },
): Confirmation | null {
  if (typeof open === "object") return promotion(open, changeRole);
  if (!p) return null;
  const target = { membershipId: p.membershipId };
  switch (open) {
    case "reset":
      return {
        danger: true,
        title: `Reset two-factor authentication for ${p.name}?`,
        doneTitle: "Two-factor authentication reset",
        confirmLabel: "Reset 2FA",
        body: (
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
        ),
        run: () =>
          say(
            actions.reset(target),
            (d) =>
              `Two-factor authentication for ${p.name} was reset and ${d.sessionsRevoked === 1 ? "1 session was" : `${d.sessionsRevoked} sessions were`} signed out. We emailed ${p.email} a link to set it up again.`,
          ),
      };
    case "codes":
      return {
        title: `Issue new recovery codes for ${p.name}?`,
        doneTitle: "New recovery codes sent",
        confirmLabel: "Issue and email codes",
        body: (
          <p>
            Their current recovery codes stop working. Ten new codes are emailed to {p.email} only: they are never shown
            to you. Their authenticator app keeps working.
          </p>
        ),
        run: () =>
          say(
            actions.issueCodes(target),
            (d) => `${d.issued} new recovery codes were emailed to ${p.email}. The old codes no longer work.`,
          ),
      };
    case "sign-out":
      return {
        danger: true,
        title: `Sign ${p.name} out everywhere?`,
        doneTitle: "Signed out everywhere",
        confirmLabel: "Sign out everywhere",
        body: (
          <>
            <p>
              Use this when a device of {p.name} was lost or stolen, or their account may be in someone else's hands:
            </p>
            <ul className="list-disc space-y-1 pl-5">
              <li>every session of {p.name} ends at once, on every device and browser;</li>
              <li>their password, two-factor authentication and recovery codes stay as they are;</li>
              <li>we email {p.email} that an administrator signed them out.</li>
            </ul>
            <p>They can sign in again right away. The sign-out is recorded in the audit log under your name.</p>
          </>
        ),
        run: () =>
          say(
            actions.signOutEverywhere(target),
            (d) =>
              `${p.name} was signed out everywhere (${d.sessionsRevoked === 1 ? "1 session" : `${d.sessionsRevoked} sessions`}). We emailed ${p.email}.`,
          ),
      };
    case "remind":
      return {
        title: `Remind ${p.name} to set up two-factor authentication?`,
        doneTitle: "Reminder sent",
        confirmLabel: "Send reminder",
        body: <p>We email {p.email} a link to the setup page. You can send one reminder an hour.</p>,
        run: () => say(actions.remind(target), (d) => `Reminder sent to ${d.sentTo}.`),
      };
    case "unexempt":
      return {
        title: `Remove ${p.name}'s exemption?`,
        doneTitle: "Exemption removed",
        confirmLabel: "Remove exemption",
        body: <p>The organization's two-factor requirement applies to {p.name} again from now on.</p>,
        run: () =>
          say(actions.revokeExemption(target), () => `${p.name} is no longer exempt from two-factor authentication.`),
      };
    case "unlock":
      return {
        title: `Unlock sign-in for ${p.name}?`,
        doneTitle: "Sign-in unlocked",
        confirmLabel: "Unlock",
        body: (
          <>
            <p>{p.name}'s account was locked after repeated failed attempts:</p>
            <ul className="list-disc space-y-1 pl-5">
              {(p.lock ? lockSentences(p.lock, timeZone) : []).map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ul>
            <p>
              Unlock only if you know the attempts were {p.name}'s own: unlocking also lets anyone guessing their
              password or codes try again. We email {p.email}, and the unlock is recorded in the audit log under your
              name.
            </p>
          </>
        ),
        run: () => say(actions.unlock(target), () => `${p.name} can sign in again. We emailed ${p.email}.`),
      };
  }
}

/** Promotion to Administrator: a confirmation that says what an administrator can do. */
function promotion({ membershipId, name }: Promotion, changeRole: ChangeRole): Confirmation {
  return {
    title: `Make ${name} an administrator?`,
    doneTitle: `${name} is now an administrator`,
    confirmLabel: "Make administrator",
    body: (
      <>
        <p>An administrator can:</p>
        <ul className="list-disc space-y-1 pl-5">
          <li>invite people and change teammates' roles;</li>
          <li>reset a teammate's two-factor authentication and send them new recovery codes;</li>
          <li>exempt teammates from the two-factor requirement;</li>
          <li>change or turn off the organization's security rules;</li>
          <li>read and export the audit log and the list of teammates.</li>
        </ul>
        <p>Administrators cannot change the owner. The change is recorded in the audit log under your name.</p>
      </>
    ),
    run: () =>
      say(changeRole({ membershipId, role: "ADMIN" }), () => `${name} is now an administrator of the organization.`),
  };
}
