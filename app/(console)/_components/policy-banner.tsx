"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/**
 * On every page of a member who has not set up 2FA that an organization requires, while they may still postpone it
 * (grace period, or a session that started before "at next sign-in"). Not dismissible: the deadline is real.
 */
export function PolicyBanner({
  organizationName,
  deadline,
  daysLeft,
  deadlineText,
}: {
  organizationName: string;
  deadline: string | null;
  daysLeft: number | null;
  deadlineText: string | null;
}) {
  const onSetup = usePathname().startsWith("/profile/security/two-factor/setup");
  if (onSetup) return null;
  const urgent = daysLeft !== null && daysLeft <= 1;
  return (
    <section
      aria-label="Two-factor authentication required"
      className={`mb-6 flex flex-wrap items-center justify-between gap-3 rounded-lg border px-4 py-3 ${
        urgent ? "border-red-300 bg-red-50" : "border-amber-300 bg-amber-50"
      }`}
    >
      <p className="text-sm text-slate-900">
        <span className="font-semibold">{organizationName} requires two-factor authentication.</span>{" "}
        {deadline && daysLeft !== null ? (
          <>
            {daysLeft <= 1 ? "Less than a day left" : `${daysLeft} days left`} to set it up (until{" "}
            <time dateTime={deadline}>{deadlineText}</time>). After that you will be signed out and asked at sign-in.
          </>
        ) : (
          "You will be asked to set it up at your next sign-in. It takes two minutes now."
        )}
      </p>
      <Link
        href="/profile/security/two-factor/setup"
        className="rounded-md bg-brand-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700"
      >
        Set up now
      </Link>
    </section>
  );
}
