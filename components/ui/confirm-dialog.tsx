"use client";

import { type ReactNode, useId, useRef, useState } from "react";
import { Button, type ButtonSize, type ButtonVariant } from "./button";
import { DangerIcon, Dialog, openDialog } from "./dialog";
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
 * A button that asks for confirmation in the Dialog (focus is trapped, Escape closes, focus returns to the button
 * afterwards). The safe choice gets the initial focus, so Enter right after opening never confirms by accident.
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
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const bodyId = useId();

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
        variant={triggerVariant}
        size={triggerSize}
        className={triggerClassName}
        disabled={disabled}
        aria-haspopup="dialog"
        onClick={() => {
          setError(null);
          openDialog(dialogRef.current, { focus: "[data-cancel]" });
        }}
      >
        {triggerLabel}
      </Button>
      <Dialog
        dialogRef={dialogRef}
        title={title}
        describedBy={bodyId}
        icon={variant === "danger" ? <DangerIcon /> : undefined}
        busy={pending}
        onClosed={() => setError(null)}
        footer={
          <>
            <Button data-cancel variant="secondary" disabled={pending} onClick={close}>
              {cancelLabel}
            </Button>
            <Button variant={variant} disabled={pending} aria-busy={pending || undefined} onClick={confirm}>
              {pending ? <Spinner /> : null}
              {confirmLabel}
            </Button>
          </>
        }
      >
        <div id={bodyId} className="text-slate-600">
          {body}
        </div>
        {error ? (
          <p role="alert" className="font-medium text-red-700">
            {error}
          </p>
        ) : null}
      </Dialog>
    </>
  );
}
