import type { Actor } from "../../auth/actor";
import { db, inTransaction, type Tx } from "../../db";
import { maskPhone } from "../../sms/phone";
import type { RequestContext } from "../audit/audit-log";
import { auditForUser } from "./audit-for-user";

// What Profile › Security shows about the user's own 2FA, and snoozing the suggestion to set it up.

/** "Not now" on the suggestion banner hides it for 30 days (issue 10 item 9), then it comes back. */
export const SUGGESTION_SNOOZE_MS = 30 * 24 * 3600_000;

/** The phone on file for SMS codes (issue 12): shown masked, never in full, once confirmed. */
export interface PhoneStatus {
  /** "•••• 3456" */
  masked: string;
  country: string;
  confirmedAt: Date;
  lastUsedAt: Date | null;
}

export interface TwoFactorStatus {
  /** An authenticator app is set up (the factor the app-code forms check). */
  enabled: boolean;
  /** Any second factor: an app, a phone for SMS codes, or both (a phone counts as 2FA everywhere). */
  anyFactor: boolean;
  phone: PhoneStatus | null;
  confirmedAt: Date | null;
  lastUsedAt: Date | null;
  recoveryCodesRemaining: number;
  recoveryCodesTotal: number;
  /** The suggestion banner was snoozed less than 30 days ago. */
  suggestionDismissed: boolean;
}

interface StatusRow {
  dismissedAt: Date | null;
  hasApp: boolean;
  appConfirmedAt: Date | null;
  appLastUsedAt: Date | null;
  phoneE164: string | null;
  country: string | null;
  phoneConfirmedAt: Date | null;
  phoneLastUsedAt: Date | null;
  remaining: number;
  total: number;
}

export async function twoFactorStatus(
  { actor }: { actor: Pick<Actor, "userId"> },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<TwoFactorStatus> {
  // One statement (the console's layout reads it on every page): the user row, both factors, and the recovery codes
  // counted once.
  const rows = await tx.$queryRaw<StatusRow[]>`
    SELECT u."twoFactorSuggestionDismissedAt" AS "dismissedAt",
      t."userId" IS NOT NULL AS "hasApp", t."confirmedAt" AS "appConfirmedAt", t."lastUsedAt" AS "appLastUsedAt",
      p."phoneE164", p."country", p."confirmedAt" AS "phoneConfirmedAt", p."lastUsedAt" AS "phoneLastUsedAt",
      rc."remaining", rc."total"
    FROM "User" u
    LEFT JOIN "TotpFactor" t ON t."userId" = u."id"
    LEFT JOIN "PhoneFactor" p ON p."userId" = u."id"
    CROSS JOIN LATERAL (
      SELECT (count(*) FILTER (WHERE r."usedAt" IS NULL))::int AS "remaining", count(*)::int AS "total"
      FROM "RecoveryCode" r WHERE r."userId" = u."id"
    ) rc
    WHERE u."id" = ${actor.userId}`;
  const row = rows[0];
  const factor = row?.hasApp ? { confirmedAt: row.appConfirmedAt as Date, lastUsedAt: row.appLastUsedAt } : null;
  const phone =
    row && row.phoneE164 !== null
      ? {
          phoneE164: row.phoneE164,
          country: row.country as string,
          confirmedAt: row.phoneConfirmedAt as Date,
          lastUsedAt: row.phoneLastUsedAt,
        }
      : null;
  const remaining = row?.remaining ?? 0;
  const total = row?.total ?? 0;
  const snoozedAt = row?.dismissedAt?.getTime();
  const anyFactor = Boolean(factor || phone);
  return {
    enabled: Boolean(factor),
    anyFactor,
    phone: phone
      ? {
          masked: maskPhone(phone.phoneE164),
          country: phone.country,
          confirmedAt: phone.confirmedAt,
          lastUsedAt: phone.lastUsedAt,
        }
      : null,
    confirmedAt: factor?.confirmedAt ?? null,
    lastUsedAt: factor?.lastUsedAt ?? null,
    recoveryCodesRemaining: anyFactor ? remaining : 0,
    recoveryCodesTotal: anyFactor ? total : 0,
    suggestionDismissed: snoozedAt !== undefined && now.getTime() - snoozedAt < SUGGESTION_SNOOZE_MS,
  };
}

/** Snoozes the suggestion for 30 days (stored on the user: it holds on every device). */
export async function dismissTwoFactorSuggestion(
  { actor, context }: { actor: Pick<Actor, "userId">; context: RequestContext },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<void> {
  await inTransaction(tx, async (t) => {
    await t.user.update({ where: { id: actor.userId }, data: { twoFactorSuggestionDismissedAt: now } });
    await auditForUser(t, actor.userId, "2fa.suggestion_dismissed", context, {});
  });
}
