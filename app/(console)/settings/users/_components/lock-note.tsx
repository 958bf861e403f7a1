"use client";

import { useTimeZone } from "@/components/ui";
import { lockSentences, type TeammateLock } from "./row-action-target";

/** "Locked", with the full reason (until when, in the reader's time zone) for screen readers and on hover. */
export function LockNote({ lock }: { lock: TeammateLock }) {
  const sentences = lockSentences(lock, useTimeZone()).join(" ");
  return (
    <span className="lock-note" title={sentences} suppressHydrationWarning>
      Locked
      <span className="sr-only" suppressHydrationWarning>
        : {sentences}
      </span>
    </span>
  );
}
