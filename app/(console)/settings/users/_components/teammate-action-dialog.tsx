"use client";

import { type ReactNode, type RefObject, useId } from "react";
import { cn } from "@/components/ui/cn";

/**
 * The modal shell of a teammate row action: a native <dialog> opened with `ref.current.showModal()` (focus trapped,
 * Escape closes unless `busy`), a title, a body and a footer of buttons.
 */
export function TeammateActionDialog({
  dialogRef,
  title,
  children,
  footer,
  busy,
  onClosed,
  danger,
}: {
  dialogRef: RefObject<HTMLDialogElement | null>;
  title: ReactNode;
  children: ReactNode;
  footer: ReactNode;
  busy?: boolean;
  onClosed?: () => void;
  danger?: boolean;
}) {
  const titleId = useId();
  return (
    <dialog
      ref={dialogRef}
      aria-labelledby={titleId}
      aria-busy={busy || undefined}
      className="m-auto w-[calc(100%-2rem)] max-w-lg overflow-hidden rounded-xl border border-slate-200 bg-white p-0 text-left whitespace-normal text-slate-900 shadow-2xl backdrop:bg-slate-950/40"
      onCancel={(e) => {
        if (busy) e.preventDefault();
      }}
      onClose={onClosed}
    >
      <div className="space-y-3 px-6 pt-6 pb-5">
        <h2 id={titleId} className={cn("text-base font-semibold", danger ? "text-red-800" : "text-slate-900")}>
          {title}
        </h2>
        <div className="space-y-3 text-sm leading-6 text-slate-700">{children}</div>
      </div>
      <div className="flex flex-col-reverse gap-2 border-t border-slate-200 bg-slate-50 px-6 py-4 sm:flex-row sm:justify-end sm:gap-3">
        {footer}
      </div>
    </dialog>
  );
}
