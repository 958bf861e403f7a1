import { db, type Tx } from "../../db";
import { DomainError } from "../../errors";
import type { RequestContext } from "../audit/audit-log";
import { type ChallengeRequirement, createChallenge } from "./challenge";
import { checkPasswordThrottled } from "./password-check";

/**
 * The password step (S16: nothing but a pending challenge after it; S36: throttled attempts; issue 9 items 2, 3, 11):
 * throttled per network, per (account, network) and per account before the hash is checked, with keys derived from
 * the submitted email — an unknown email takes the same path (a dummy hash), the same limits and the same words as a
 * wrong password. Throws INVALID_CREDENTIALS or RATE_LIMITED.
 */
export async function passwordStep(
  {
    input,
    context,
  }: {
    /** rememberedDeviceToken: this browser's remember-device cookie (issue 11), read by the action. */
    input: { email: string; password: string; rememberedDeviceToken?: string | null };
    context: RequestContext;
  },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<{ challengeToken: string; requirement: ChallengeRequirement }> {
  const user = await tx.user.findUnique({ where: { email: input.email }, omit: { passwordHash: false } });
  const account = user ? { ...user, passwordHash: user.signInMethod === "PASSWORD" ? user.passwordHash : null } : null;
  return checkPasswordThrottled(
    { email: input.email, password: input.password, account, purpose: "sign-in" },
    context,
    now,
    () => new DomainError("INVALID_CREDENTIALS"),
    async (t) => {
      const { token, requirement } = await createChallenge(t, (user as { id: string }).id, context, now, "password", {
        rememberedDeviceToken: input.rememberedDeviceToken,
      });
      return { challengeToken: token, requirement };
    },
  );
}
