import { db, type Tx } from "../../db";
import type { RequestContext } from "../audit/audit-log";
import { auditForUser } from "./verification";

// What Profile › Security shows about the user's own 2FA, and dismissing the suggestion to set it up.

export interface TwoFactorStatus {
  enabled: boolean;
  confirmedAt: Date | null;
  lastUsedAt: Date | null;
  recoveryCodesRemaining: number;
  recoveryCodesTotal: number;
  suggestionDismissed: boolean;
}

export async function twoFactorStatus(userId: string, tx: Tx = db): Promise<TwoFactorStatus> {
  const [factor, remaining, total, user] = await Promise.all([
    tx.totpFactor.findUnique({ where: { userId }, select: { confirmedAt: true, lastUsedAt: true } }),
    tx.recoveryCode.count({ where: { userId, usedAt: null } }),
    tx.recoveryCode.count({ where: { userId } }),
    tx.user.findUnique({ where: { id: userId }, select: { twoFactorSuggestionDismissedAt: true } }),
  ]);
  return {
    enabled: Boolean(factor),
    confirmedAt: factor?.confirmedAt ?? null,
    lastUsedAt: factor?.lastUsedAt ?? null,
    recoveryCodesRemaining: factor ? remaining : 0,
    recoveryCodesTotal: factor ? total : 0,
    suggestionDismissed: Boolean(user?.twoFactorSuggestionDismissedAt),
  };
}

export async function dismissTwoFactorSuggestion(
  userId: string,
  context: RequestContext,
  now = new Date(),
): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { twoFactorSuggestionDismissedAt: now } });
    await auditForUser(tx, userId, "2fa.suggestion_dismissed", context, {});
  });
}
