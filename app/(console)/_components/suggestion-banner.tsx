"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResultLike } from "@/components/forms/use-action-form";

/** Suggestion to set up 2FA, snoozed for 30 days by "Remind me in 30 days" (stored on the user: every device). */
export function TwoFactorSuggestion({
  dismiss,
}: {
  dismiss: (input: Record<string, never>) => Promise<ActionResultLike<unknown>>;
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [hidden, setHidden] = useState(false);
  // Not on the security pages themselves, where the user is already setting it up (or just did).
  const onSecurityPages = usePathname().startsWith("/profile/security");
  if (hidden || onSecurityPages) return null;
  return (
    <section
      aria-label="Two-factor authentication suggestion"
      className="mb-6 flex flex-wrap items-center justify-between gap-3 rounded-lg border border-brand-200 bg-brand-50 px-4 py-3"
    >
      <p className="text-sm text-slate-900">
        <span className="font-semibold">Protect your account.</span> Add an authenticator app, so that signing in takes
        a code from your phone as well.
      </p>
      <div className="flex items-center gap-3">
        <Link
          href="/profile/security"
          className="rounded-md bg-brand-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700"
        >
          Set up two-factor
        </Link>
        <button
          type="button"
          disabled={pending}
          className="text-sm font-medium text-slate-700 underline-offset-4 hover:underline disabled:opacity-60"
          onClick={() =>
            start(async () => {
              const r = await dismiss({});
              if (r.ok) {
                setHidden(true);
                router.refresh();
              }
            })
          }
        >
          Remind me in 30 days
        </button>
      </div>
    </section>
  );
}
