"use client";

import { type ReactNode, type RefObject, useId } from "react";
import { cn } from "./cn";

/**
 * The one modal dialog of the app: a native <dialog> opened with `openDialog` (the browser traps focus in it and
 * closes it on Escape, unless `busy`), labelled by its title, with a scrolling body and a footer of buttons. Focus goes
 * to `focus` (a selector) or the first control when it opens, and back to the element that had it (or `opener`) when
 * it closes.
 */
export function Dialog({
  dialogRef,
  title,
  describedBy,
  icon,
  children,
  footer,
  busy,
  onClosed,
  tone = "default",
  size = "md",
}: {
  dialogRef: RefObject<HTMLDialogElement | null>;
  title: ReactNode;
  /** The id of the element that says what the dialog is about (read when it opens). */
  describedBy?: string;
  /** Shown beside the title (e.g. a warning sign for a destructive action). */
  icon?: ReactNode;
  children: ReactNode;
  footer: ReactNode;
  /** While true, Escape does not close the dialog (an action is running; its outcome must not be hidden). */
  busy?: boolean;
  onClosed?: () => void;
  /** "danger" colours the title: a destructive action. */
  tone?: "default" | "danger";
  size?: "md" | "lg" | "xl";
}) {
  const titleId = useId();
  return (
    <dialog
      ref={dialogRef}
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      aria-busy={busy || undefined}
      className={cn(
        "m-auto w-[calc(100%-2rem)] overflow-hidden rounded-xl border border-slate-200 bg-white p-0 text-left whitespace-normal text-slate-900 shadow-2xl backdrop:bg-slate-950/40 open:flex open:max-h-[calc(100dvh-2rem)] open:flex-col",
        { md: "max-w-md", lg: "max-w-lg", xl: "max-w-2xl" }[size],
      )}
      onCancel={(e) => {
        if (busy) e.preventDefault();
      }}
      onClose={() => {
        const dialog = dialogRef.current;
        const opener = dialog ? openers.get(dialog) : undefined;
        if (dialog) openers.delete(dialog);
        if (opener?.isConnected) opener.focus();
        onClosed?.();
      }}
    >
      <div className="flex items-center gap-3 border-b border-slate-200 px-6 pt-5 pb-4">
        {icon}
        <h2
          id={titleId}
          className={cn("text-base font-semibold", tone === "danger" ? "text-red-800" : "text-slate-900")}
        >
          {title}
        </h2>
      </div>
      <div className="min-h-0 flex-1 space-y-4 overflow-y-auto px-6 py-5 text-sm leading-6 text-slate-700">
        {children}
      </div>
      <div className="flex flex-col-reverse gap-2 border-t border-slate-200 bg-slate-50 px-6 py-4 sm:flex-row sm:items-center sm:justify-end sm:gap-3">
        {footer}
      </div>
    </dialog>
  );
}

const openers = new WeakMap<HTMLDialogElement, HTMLElement>();

/**
 * Opens a Dialog as a modal. `focus`: a selector inside it to focus first (without scrolling, so the dialog's body
 * starts at its top); else the browser focuses the first control. `opener`: where focus returns on close (default:
 * the element focused now).
 */
export function openDialog(dialog: HTMLDialogElement | null, opts: { focus?: string; opener?: HTMLElement } = {}) {
  if (!dialog || dialog.open) return;
  const opener = opts.opener ?? (document.activeElement instanceof HTMLElement ? document.activeElement : null);
  if (opener) openers.set(dialog, opener);
  dialog.showModal();
  const target = opts.focus ? dialog.querySelector<HTMLElement>(opts.focus) : null;
  target?.focus({ preventScroll: true });
}

/** A warning sign in a red circle, for the `icon` of a destructive dialog. */
export function DangerIcon() {
  return (
    <span className="flex size-8 shrink-0 items-center justify-center rounded-full bg-red-50 text-red-700">
      <svg
        viewBox="0 0 20 20"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.6"
        strokeLinecap="round"
        strokeLinejoin="round"
        aria-hidden="true"
        className="size-4"
      >
        <path d="M8.7 3.6a1.5 1.5 0 0 1 2.6 0l6 10.4a1.5 1.5 0 0 1-1.3 2.25H4a1.5 1.5 0 0 1-1.3-2.25z" />
        <path d="M10 8v3.5M10 13.75h.01" />
      </svg>
    </span>
  );
}
