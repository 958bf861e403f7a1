"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { type ReactNode, type RefObject, useId } from "react";
import { Alert, Button, cn, Table, TBody, Td, THead, Th, Tr } from "@/components/ui";
import { type ImpactView, impactSentence, plural } from "./view";

// Small pieces shared by the organization security panel, its dialogs and its form.

/**
 * The modal shell of the security dialogs: a native <dialog> (focus trapped, Escape closes unless `busy`), a title,
 * a scrolling body and a footer of buttons. Focus goes to `initialFocus` (or the first control) when opened with
 * `openDialog`, and back to whatever had it before when closed.
 */
export function PolicyDialog({
  dialogRef,
  title,
  description,
  children,
  footer,
  busy,
  onClosed,
  danger,
  wide,
}: {
  dialogRef: RefObject<HTMLDialogElement | null>;
  title: ReactNode;
  /** The id of the element that states what the dialog is about (read when it opens). */
  description?: string;
  children: ReactNode;
  footer: ReactNode;
  busy?: boolean;
  onClosed?: () => void;
  danger?: boolean;
  wide?: boolean;
}) {
  const titleId = useId();
  return (
    <dialog
      ref={dialogRef}
      aria-labelledby={titleId}
      aria-describedby={description}
      aria-busy={busy || undefined}
      className={cn(
        "m-auto w-[calc(100%-2rem)] overflow-hidden rounded-xl border border-slate-200 bg-white p-0 text-left text-slate-900 shadow-2xl backdrop:bg-slate-950/40 open:flex open:max-h-[calc(100dvh-2rem)] open:flex-col",
        wide ? "max-w-2xl" : "max-w-lg",
      )}
      onCancel={(e) => {
        if (busy) e.preventDefault();
      }}
      onClose={() => {
        const opener = dialogRef.current ? openers.get(dialogRef.current) : undefined;
        if (opener?.isConnected) opener.focus();
        onClosed?.();
      }}
    >
      <div className="border-b border-slate-200 px-6 pt-5 pb-4">
        <h2 id={titleId} className={cn("text-base font-semibold", danger ? "text-red-800" : "text-slate-900")}>
          {title}
        </h2>
      </div>
      <div className="min-h-0 flex-1 space-y-5 overflow-y-auto px-6 py-5 text-sm leading-6 text-slate-700">
        {children}
      </div>
      <div className="flex flex-col-reverse gap-2 border-t border-slate-200 bg-slate-50 px-6 py-4 sm:flex-row sm:items-center sm:justify-end sm:gap-3">
        {footer}
      </div>
    </dialog>
  );
}

const openers = new WeakMap<HTMLDialogElement, HTMLElement>();

/** Opens a PolicyDialog and focuses `selector` inside it (else the browser's first focusable element). */
export function openDialog(dialog: HTMLDialogElement | null, selector?: string) {
  if (!dialog || dialog.open) return;
  if (document.activeElement instanceof HTMLElement) openers.set(dialog, document.activeElement);
  dialog.showModal();
  const target = selector ? dialog.querySelector<HTMLElement>(selector) : null;
  // Without scrolling: the dialog's body starts at its top (what the dialog is about), even when the control to
  // focus sits further down.
  target?.focus({ preventScroll: true });
}

/** POLICY_STALE: another administrator saved first. Nothing was changed; reload to see their settings. */
export function StaleAlert({ message }: { message: string }) {
  const router = useRouter();
  return (
    <Alert variant="error" title="Nothing was saved">
      <p>{message}</p>
      <Button variant="secondary" size="sm" className="mt-2" onClick={() => router.refresh()}>
        Reload
      </Button>
    </Alert>
  );
}

/** An on/off switch (a button with role="switch"). Clicking never flips it directly: it opens a confirmation. */
export function Switch({
  checked,
  label,
  disabled,
  onClick,
  describedBy,
}: {
  checked: boolean;
  label: string;
  disabled?: boolean;
  onClick?: () => void;
  describedBy?: string;
}) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      aria-label={label}
      aria-describedby={describedBy}
      aria-haspopup={disabled ? undefined : "dialog"}
      disabled={disabled}
      onClick={onClick}
      className={cn(
        "relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors",
        "focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-brand-600 focus-visible:ring-offset-2",
        "disabled:cursor-not-allowed disabled:opacity-50",
        checked ? "bg-brand-600 hover:bg-brand-700" : "bg-slate-400 hover:bg-slate-500 disabled:hover:bg-slate-400",
      )}
    >
      <span
        aria-hidden="true"
        className={cn(
          "inline-block size-5 rounded-full bg-white shadow-sm ring-1 ring-slate-900/5 transition-transform",
          checked ? "translate-x-[1.375rem]" : "translate-x-0.5",
        )}
      />
    </button>
  );
}

/** The headline numbers: "2 of 3 members have not set up 2FA", with a bar of how many are covered. */
export function ImpactSummary({ impact, id, className }: { impact: ImpactView; id?: string; className?: string }) {
  const covered = impact.totalMembers - impact.membersWithout2fa;
  const percent = impact.totalMembers > 0 ? Math.round((covered / impact.totalMembers) * 100) : 100;
  return (
    <div className={cn("rounded-lg border border-slate-200 bg-slate-50 px-4 py-3.5", className)}>
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
        <p id={id} className="text-sm font-semibold text-slate-900" data-testid="impact-sentence">
          {impactSentence(impact.membersWithout2fa, impact.totalMembers)}
        </p>
        <p className="text-xs text-slate-600">{percent}% covered</p>
      </div>
      <div
        className="mt-2.5 h-2 overflow-hidden rounded-full bg-slate-200"
        role="img"
        aria-label={`${covered} of ${impact.totalMembers} members are covered (2FA set up, or exempt)`}
      >
        <div
          className={cn("h-full rounded-full", impact.membersWithout2fa > 0 ? "bg-amber-500" : "bg-emerald-600")}
          style={{ width: `${percent}%` }}
        />
      </div>
      <p className="mt-2 text-xs text-slate-600">
        {plural(covered, "member")} covered · {impact.membersWithout2fa.toLocaleString("en-US")} without 2FA ·{" "}
        {plural(impact.ssoUsers, "SSO user")}
      </p>
    </div>
  );
}

/** Who has not set up 2FA (the first 50, by name), with "and K more". */
export function ImpactTable({ impact, label, maxHeight }: { impact: ImpactView; label: string; maxHeight?: boolean }) {
  const more = impact.membersWithout2fa - impact.list.length;
  if (impact.list.length === 0) return null;
  return (
    <div>
      <div
        className={cn(maxHeight && "max-h-64 overflow-y-auto rounded-lg border border-slate-200")}
        // A scrolling region must be reachable with the keyboard.
        tabIndex={maxHeight ? 0 : undefined}
        role={maxHeight ? "region" : undefined}
        aria-label={maxHeight ? label : undefined}
      >
        <Table label={label}>
          <THead className={cn(maxHeight && "sticky top-0 z-10")}>
            <Tr>
              <Th>Name</Th>
              <Th>Role</Th>
              <Th>Type</Th>
              <Th>Last sign-in</Th>
            </Tr>
          </THead>
          <TBody>
            {impact.list.map((m) => (
              <Tr key={m.membershipId}>
                <Td className={cn(maxHeight && "py-2.5")}>
                  <p className="font-medium text-slate-900">{m.name}</p>
                  <p className="text-xs text-slate-600">{m.email}</p>
                </Td>
                <Td className={cn(maxHeight && "py-2.5")}>{m.role}</Td>
                <Td className={cn(maxHeight && "py-2.5")}>{m.type}</Td>
                <Td
                  className={cn(
                    "whitespace-nowrap",
                    maxHeight && "py-2.5",
                    m.lastSignIn === "never" && "text-slate-500",
                  )}
                >
                  {m.lastSignIn}
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      </div>
      {more > 0 ? (
        <p className="mt-2 text-sm text-slate-600">
          and {more.toLocaleString("en-US")} more.{" "}
          <Link
            href="/settings/users?status=not-set-up"
            className="font-medium text-brand-700 underline-offset-4 hover:underline"
          >
            See everyone without 2FA in Users
          </Link>
        </p>
      ) : null}
    </div>
  );
}
