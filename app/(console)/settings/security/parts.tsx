"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { type RefObject, useEffect, useRef } from "react";
import { Alert, Button, cn, Table, TBody, Td, THead, Th, Tr } from "@/components/ui";
import { formatCount } from "@/lib/format/count";
import { NEVER } from "@/lib/format/dates";
import { type ImpactView, impactSentence, plural } from "./view";

// Small pieces shared by the organization security panel, its dialogs and its form.

/**
 * Closes a confirmation dialog when the page shows its change already made by someone else (seen after "Reload"), but
 * never over our own save: the action's answer brings the refreshed page with it, and that page can be committed before
 * the answer is stored as the dialog's result (seen on loaded 2-core machines, which then lost the result screen). Set
 * `.current = true` on the returned ref before sending our save, back to false when it is refused or the dialog closes.
 */
export function useCloseWhenDoneElsewhere(
  dialogRef: RefObject<HTMLDialogElement | null>,
  done: boolean,
  result: unknown,
): RefObject<boolean> {
  const savingHere = useRef(false);
  useEffect(() => {
    if (done && !result && !savingHere.current) dialogRef.current?.close();
  }, [done, result, dialogRef]);
  return savingHere;
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
  opensDialog = true,
}: {
  checked: boolean;
  label: string;
  disabled?: boolean;
  onClick?: () => void;
  describedBy?: string;
  /** False for a switch that only changes a form's value (no dialog follows the click). */
  opensDialog?: boolean;
}) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      aria-label={label}
      aria-describedby={describedBy}
      aria-haspopup={disabled || !opensDialog ? undefined : "dialog"}
      disabled={disabled}
      onClick={onClick}
      className={cn(
        "relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors",
        "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-focus",
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
        {plural(covered, "member")} covered · {formatCount(impact.membersWithout2fa)} without 2FA ·{" "}
        {plural(impact.ssoUsers, "SSO user")}
      </p>
    </div>
  );
}

/** Who has not set up 2FA (the first 50, by name), with "and K more". */
export function ImpactTable({ impact, label, maxHeight }: { impact: ImpactView; label: string; maxHeight?: boolean }) {
  const more = impact.membersWithout2fa - impact.list.length;
  if (impact.list.length === 0) return null;
  const table = (
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
            <Td className={cn("whitespace-nowrap", maxHeight && "py-2.5", m.lastSignIn === NEVER && "text-slate-500")}>
              {m.lastSignIn}
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
  return (
    <div>
      {maxHeight ? (
        // A scrolling region must be reachable with the keyboard, and is named for what it holds.
        <section
          aria-label={label}
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region is focusable so keyboard users can scroll it (WCAG 2.1.1)
          tabIndex={0}
          className="max-h-64 overflow-y-auto rounded-lg border border-slate-200"
        >
          {table}
        </section>
      ) : (
        table
      )}
      {more > 0 ? (
        <p className="mt-2 text-sm text-slate-600">
          and {formatCount(more)} more.{" "}
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
