import { formatDateTime, UTC } from "@/lib/format/dates";

// What the row actions of Settings > Users need to know about a teammate, and the words for a sign-in lock after
// failed attempts (issue 9 item 3). Plain data and words (no "use client"): the server renders each row's button and
// lock badge with them, and the one row-actions menu opens for the teammate whose button was pressed.

/** The id of the one row-actions menu (a popover): every row's "2FA actions" button targets it. */
export const ROW_ACTIONS_MENU_ID = "teammate-row-actions";

/** The row's data the menu and its dialogs need. */
export interface RowActionTarget {
  membershipId: string;
  name: string;
  email: string;
  hasTwoFactor: boolean;
  /** ISO 8601 end of an exemption in force, else null. */
  exemptUntil: string | null;
  lock: TeammateLock | null;
}

export interface TeammateLock {
  /** ISO 8601 end of the password lock, else null. */
  passwordUntil: string | null;
  passwordScope: "account" | "network" | null;
  /** ISO 8601 end of the second-factor lock, else null. */
  secondFactorUntil: string | null;
}

/** Locks this far ahead are lifted by an administrator, not by time. */
const HARD_LOCK_MS = 7 * 24 * 3600_000;
const until = (iso: string, now: number, timeZone: string) =>
  new Date(iso).getTime() - now > HARD_LOCK_MS
    ? "until an administrator unlocks it"
    : `until ${formatDateTime(iso, timeZone)}`;

/** "Password sign-in paused until 1 Dec 2026, 10:05 GMT-5 from some networks."; one sentence per lock, in the
 *  reader's time zone. */
export function lockSentences(lock: TeammateLock, timeZone = UTC, now = Date.now()): string[] {
  const out: string[] = [];
  if (lock.passwordUntil)
    out.push(
      `Password sign-in paused ${until(lock.passwordUntil, now, timeZone)}${lock.passwordScope === "network" ? " from some networks" : " from every network"}.`,
    );
  if (lock.secondFactorUntil) out.push(`Two-factor sign-in locked ${until(lock.secondFactorUntil, now, timeZone)}.`);
  return out;
}
