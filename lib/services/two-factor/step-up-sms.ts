import type { Actor } from "../../auth/actor";
import { db } from "../../db";
import { DomainError, secondFactorLockDetail } from "../../errors";
import type { RequestContext } from "../audit/audit-log";
import { peek } from "../rate-limit/limiter";
import { secondFactorKey, secondFactorPolicy } from "./lock-policy";
import { type PhoneCodeInfo, smsOrganizations, textCode } from "./phone-common";

// "Text me a code" for a fresh check of one's own second factor (issue 12): the step-up of an admin action (S26, S42),
// of a lower-assurance session (S30), and the second factor asked by a password change, new recovery codes and an
// ownership transfer. The code has purpose "step-up" (lib/services/sms/codes.ts: 10 minutes, 5 tries, single use, the
// caps and the 30 s between texts); verifySecondFactor checks it for every purpose but sign-in, so a step-up code never
// signs anyone in and a sign-in code never steps up. Only a phone already confirmed receives it (S39: enrolling never
// counts as a step-up).

/** Texts a step-up code to the actor's phone. SMS_NOT_ENABLED without a phone; SECOND_FACTOR_LOCKED while locked. */
export async function sendStepUpSmsCode(
  { actor, context }: { actor: Actor; context: RequestContext },
  { now = new Date() }: { now?: Date } = {},
): Promise<PhoneCodeInfo> {
  // No texts (they cost money) while the second factor is locked: the code could not be used anyway.
  const state = await peek(db, secondFactorKey(actor.userId), secondFactorPolicy, now);
  if (state.lockedUntil)
    throw new DomainError("SECOND_FACTOR_LOCKED", {
      detail: secondFactorLockDetail(state.lockedUntil, context.timeZone, now),
    });
  return db.$transaction(async (tx) => {
    const phone = await tx.phoneFactor.findUnique({ where: { userId: actor.userId } });
    if (!phone) throw new DomainError("SMS_NOT_ENABLED");
    // Charged to every organization of the person (their caps and country lists apply), as a sign-in text is.
    const { organizationIds } = await smsOrganizations(tx, actor.userId);
    return textCode(
      tx,
      {
        userId: actor.userId,
        phone: { e164: phone.phoneE164, country: phone.country },
        purpose: "step-up",
        organizationIds,
        context,
      },
      now,
    );
  });
}
