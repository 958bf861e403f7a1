"use client";

import { type ReactNode, useId, useRef, useState } from "react";
import { Button, type ButtonSize, type ButtonVariant } from "./button";
import { Spinner } from "./spinner";

export interface ConfirmDialogProps {
  /** Text of the button that opens the dialog. */
  triggerLabel: ReactNode;
  title: ReactNode;
  body: ReactNode;
  confirmLabel: ReactNode;
  cancelLabel?: ReactNode;
  /** Look of the confirm button; "danger" also shows a warning icon. */
  variant?: "danger" | "primary";
  /** Runs when confirmed; the dialog shows a pending state until it settles, then closes. */
  onConfirm: () => Promise<void> | void;
  triggerVariant?: ButtonVariant;
  triggerSize?: ButtonSize;
  triggerClassName?: string;
  /** Disables the trigger. */
  disabled?: boolean;
}

/**
 * A button that asks for confirmation in a native modal <dialog> (focus is trapped, Escape closes, focus returns
 * to the button afterwards).
 */
export function ConfirmDialog({
  triggerLabel,
  title,
  body,
  confirmLabel,
  cancelLabel = "Cancel",
  variant = "primary",
  onConfirm,
  triggerVariant = "secondary",
  triggerSize = "sm",
  triggerClassName,
  disabled,
}: ConfirmDialogProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const titleId = useId();
  const bodyId = useId();

  function open() {
    setError(null);
    const dialog = dialogRef.current;
    if (!dialog || dialog.open) return;
    dialog.showModal();
    // The safe choice gets the initial focus, so Enter right after opening never confirms by accident.
    cancelRef.current?.focus();
  }

  function close() {
    if (!pending) dialogRef.current?.close();
  }

  async function confirm() {
    setPending(true);
    setError(null);
    try {
      await onConfirm();
      dialogRef.current?.close();
    } catch {
      setError("Something went wrong. Please try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <>
      <Button
        ref={triggerRef}
        variant={triggerVariant}
        size={triggerSize}
        className={triggerClassName}
        disabled={disabled}
        aria-haspopup="dialog"
        onClick={open}
      >
        {triggerLabel}
      </Button>
      <dialog
        ref={dialogRef}
        aria-labelledby={titleId}
        aria-describedby={bodyId}
        aria-busy={pending || undefined}
        className="m-auto w-[calc(100%-2rem)] max-w-md overflow-hidden rounded-xl border border-slate-200 bg-white p-0 text-left text-slate-900 shadow-2xl backdrop:bg-slate-950/40"
        onCancel={(e) => {
          // Escape: ignored while the action runs, so its outcome is not hidden.
          if (pending) e.preventDefault();
        }}
        onClose={() => {
          setError(null);
          if (triggerRef.current?.isConnected) triggerRef.current.focus();
        }}
        onClick={(e) => {
          // A click on the backdrop (outside the panel) closes the dialog.
          if (e.target === e.currentTarget) close();
        }}
      >
        <div className="flex gap-4 px-6 pt-6 pb-5">
          {variant === "danger" ? (
            <div className="flex size-10 shrink-0 items-center justify-center rounded-full bg-red-50 text-red-700">
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
                <path d="M8.7 3.6a1.5 1.5 0 0 1 2.6 0l6 10.4a1.5 1.5 0 0 1-1.3 2.25H4a1.5 1.5 0 0 1-1.3-2.25z" />
                <path d="M10 8v3.5M10 13.75h.01" />
              </svg>
            </div>
          ) : null}
          <div className="min-w-0 flex-1">
            <h2 id={titleId} className="text-base font-semibold text-slate-900">
              {title}
            </h2>
            <div id={bodyId} className="mt-2 text-sm leading-6 text-slate-600">
              {body}
            </div>
            {error ? (
              <p role="alert" className="mt-3 text-sm font-medium text-red-700">
                {error}
              </p>
            ) : null}
          </div>
        </div>
        <div className="flex flex-col-reverse gap-2 border-t border-slate-200 bg-slate-50 px-6 py-4 sm:flex-row sm:justify-end sm:gap-3">
          <Button ref={cancelRef} variant="secondary" disabled={pending} onClick={close}>
            {cancelLabel}
          </Button>
          <Button variant={variant} disabled={pending} aria-busy={pending || undefined} onClick={confirm}>
            {pending ? <Spinner /> : null}
            {confirmLabel}
          </Button>
        </div>
      </dialog>
    </>
  );
}
