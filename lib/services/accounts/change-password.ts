import type { Actor } from "../../auth/actor";
import { verifyPassword } from "../../crypto/password";
import { db, inTransaction } from "../../db";
import { DomainError, fieldError } from "../../errors";
import type { RequestContext } from "../audit/audit-log";
import { checkPasswordThrottled } from "../sign-in/password-check";
import type { SecondFactorMethod } from "../two-factor/factor-types";
import { factorsOf, hasAnyFactor } from "../two-factor/factors";
import { verifySecondFactor } from "../two-factor/verification";
import { hashNewPassword, installNewPassword } from "./new-password";

// Changing one's own password (issue 10 item 1, SPEC §2 "Password"; S21: a password change signs out the other
// sessions and keeps the current one).

export interface ChangePasswordData {
  currentPassword: string;
  newPassword: string;
  /** Needed when the account has 2FA: a code from the app, a texted code, or a recovery code. */
  method?: SecondFactorMethod;
  code?: string;
}

/**
 * Checks, in this order: the new password's rules (nothing is counted when they fail), the current password (the
 * sign-in throttle), that the new password differs from the current one, and — when 2FA is on — an app or recovery
 * code (app, texted or recovery) through verifySecondFactor, in whose transaction the new password is installed: every other session signed
 * out, audited, mailed. A wrong password or code changes nothing. Returns how many other sessions were signed out.
 */
export async function changePassword(
  { actor, input, context }: { actor: Actor; input: ChangePasswordData; context: RequestContext },
  // No `tx`: with 2FA the change runs in verifySecondFactor's own transaction (a failure is counted after its rollback).
  { now = new Date() }: { now?: Date } = {},
): Promise<{ otherSessionsRevoked: number }> {
  const user = await db.user.findUniqueOrThrow({
    where: { id: actor.userId },
    select: { id: true, name: true, email: true, passwordHash: true },
  });
  if (user.passwordHash === null) throw new DomainError("PASSWORD_NOT_SET");
  // Any second factor (an app, a phone, or both; recovery codes exist only beside one) means a code is needed: a
  // person whose only factor is a phone confirms with a texted code (purpose "step-up").
  const twoFactor = hasAnyFactor(await factorsOf(user.id));
  if (twoFactor && !input.code?.trim()) throw fieldError("VALIDATION", { code: "STEP_UP_CODE" });

  const passwordHash = await hashNewPassword(input.newPassword, user, "newPassword");
  await checkPasswordThrottled(
    { email: user.email, password: input.currentPassword, account: user, purpose: "re-check" },
    context,
    now,
    () => fieldError("INVALID_PASSWORD", { currentPassword: "PASSWORD_WRONG" }),
    async () => undefined,
  );
  // Only once the current password is proven (else this would check guesses of it without the throttle).
  if (await verifyPassword(user.passwordHash, input.newPassword))
    throw fieldError("VALIDATION", { newPassword: "NEW_PASSWORD_SAME" });

  const install = (tx: Parameters<typeof installNewPassword>[0]) =>
    installNewPassword(
      tx,
      { userId: user.id, passwordHash, keepSessionId: actor.sessionId, how: "changed", person: user },
      context,
      now,
    );
  const otherSessionsRevoked = twoFactor
    ? (
        await verifySecondFactor(
          user.id,
          { method: input.method ?? "totp", code: input.code ?? "" },
          { purpose: "password-change", context, now },
          install,
        )
      ).result
    : await inTransaction(db, install);
  return { otherSessionsRevoked };
}
