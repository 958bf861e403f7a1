"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, useTransition } from "react";
import { Button } from "@/components/ui";
import type { ActionResult } from "@/lib/actions/action-client";
import { COLUMN_LABELS, type OptionalColumn } from "./columns";

const ALL = Object.keys(COLUMN_LABELS) as OptionalColumn[];

/**
 * "Columns" button opening a panel of checkboxes (a labelled fieldset): each change is saved for this administrator
 * at once and the table re-renders. Escape or the button closes it; focus returns to the button.
 */
export function ColumnChooser({
  columns,
  save,
}: {
  columns: readonly OptionalColumn[];
  save: (input: { columns: OptionalColumn[] }) => Promise<ActionResult<{ columns: OptionalColumn[] }>>;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [shown, setShown] = useState<OptionalColumn[]>([...columns]);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const panelId = useId();

  useEffect(() => setShown([...columns]), [columns]);
  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      const t = e.target as Node;
      if (!panel.current?.contains(t) && !button.current?.contains(t)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [open]);

  function toggle(column: OptionalColumn, on: boolean) {
    const next = ALL.filter((c) => (c === column ? on : shown.includes(c)));
    setShown(next);
    setError(null);
    start(async () => {
      const r = await save({ columns: next });
      if (!r.ok) {
        setError(r.error);
        setShown([...columns]);
      } else router.refresh();
    });
  }

  return (
    <div className="relative">
      <Button
        ref={button}
        variant="secondary"
        size="sm"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
      >
        Columns
      </Button>
      <div
        ref={panel}
        id={panelId}
        hidden={!open}
        className="absolute right-0 z-20 mt-2 w-60 rounded-lg border border-slate-200 bg-white p-4 shadow-lg"
      >
        <fieldset
          aria-busy={pending || undefined}
          // Escape closes the panel and gives the focus back to its button.
          onKeyDown={(e) => {
            if (e.key === "Escape") {
              setOpen(false);
              button.current?.focus();
            }
          }}
        >
          <legend className="text-sm font-semibold text-slate-900">Show columns</legend>
          <p className="mt-1 text-xs text-slate-600">
            Remembered for your account. Name, email, role and type always show.
          </p>
          <div className="mt-3 space-y-2">
            {ALL.map((c) => (
              <label key={c} className="flex items-center gap-2 text-sm text-slate-800">
                <input
                  type="checkbox"
                  className="size-4 rounded border-slate-300 accent-brand-600"
                  checked={shown.includes(c)}
                  onChange={(e) => toggle(c, e.target.checked)}
                />
                {COLUMN_LABELS[c]}
              </label>
            ))}
          </div>
        </fieldset>
        {error ? (
          <p role="alert" className="mt-2 text-xs text-red-700">
            {error}
          </p>
        ) : null}
      </div>
    </div>
  );
}
