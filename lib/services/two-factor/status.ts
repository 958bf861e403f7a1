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

export async function twoFactorStatus(
  { actor }: { actor: Pick<Actor, "userId"> },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<TwoFactorStatus> {
  const { userId } = actor;
  const [factor, phone, remaining, total, user] = await Promise.all([
    tx.totpFactor.findUnique({ where: { userId }, select: { confirmedAt: true, lastUsedAt: true } }),
    tx.phoneFactor.findUnique({
      where: { userId },
      select: { phoneE164: true, country: true, confirmedAt: true, lastUsedAt: true },
    }),
    tx.recoveryCode.count({ where: { userId, usedAt: null } }),
    tx.recoveryCode.count({ where: { userId } }),
    tx.user.findUnique({ where: { id: userId }, select: { twoFactorSuggestionDismissedAt: true } }),
  ]);
  const snoozedAt = user?.twoFactorSuggestionDismissedAt?.getTime();
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
