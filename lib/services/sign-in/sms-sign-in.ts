import { hashToken } from "../../crypto/tokens";
import { db } from "../../db";
import { DomainError, secondFactorLockDetail } from "../../errors";
import type { RequestContext } from "../audit/audit-log";
import { peek } from "../rate-limit/limiter";
import { issueSmsCode, lastFour } from "../sms/codes";
import { secondFactorKey, secondFactorPolicy } from "../two-factor/lock-policy";
import { loadChallenge, organizationIdsOf } from "./challenge";

// Sign in with a texted code (issue 12 item 4): on the second step, "Text me a code" sends a code bound to this
// browser's pending sign-in (the challenge), through the code service and its caps (lib/services/sms/codes.ts). The
// code is checked by verifySecondFactor like every other code.

/** Texts a sign-in code to the phone of the person signing in with `challengeToken`. */
export async function sendSignInSmsCode(
  { input, context }: { input: { challengeToken: string | null | undefined }; context: RequestContext },
  { now = new Date() }: { now?: Date } = {},
): Promise<{ lastFour: string; resendAfter: Date; expiresAt: Date }> {
  if (!input.challengeToken) throw new DomainError("CHALLENGE_EXPIRED");
  const challenge = await loadChallenge(db, hashToken(input.challengeToken));
  if (!challenge || challenge.consumedAt || challenge.expiresAt <= now) throw new DomainError("CHALLENGE_EXPIRED");
  if (challenge.requirement !== "second-factor") throw new DomainError("UNAUTHENTICATED");
  // No texts (they cost money) while the second step is locked: the person could not use the code anyway.
  const state = await peek(db, secondFactorKey(challenge.userId), secondFactorPolicy, now);
  if (state.lockedUntil)
    throw new DomainError("SECOND_FACTOR_LOCKED", {
      detail: secondFactorLockDetail(state.lockedUntil, context.timeZone, now),
    });
  return db.$transaction(async (tx) => {
    const phone = await tx.phoneFactor.findUnique({ where: { userId: challenge.userId } });
    if (!phone) throw new DomainError("SMS_NOT_ENABLED");
    const issued = await issueSmsCode(
      tx,
      {
        userId: challenge.userId,
        phoneE164: phone.phoneE164,
        country: phone.country,
        purpose: "sign-in",
        challengeId: challenge.id,
        organizationIds: await organizationIdsOf(tx, challenge.userId),
        context,
      },
      now,
    );
    return { lastFour: lastFour(phone.phoneE164), resendAfter: issued.resendAfter, expiresAt: issued.expiresAt };
  });
}
