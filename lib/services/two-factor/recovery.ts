import type { Actor } from "../../auth/actor";
import { generateRecoveryCodes, hashRecoveryCode } from "../../crypto/recovery-codes";
import type { Tx } from "../../db";
import type { RequestContext } from "../audit/audit-log";
import { enqueueMail, securityNoticeData } from "../outbox/outbox";
import { auditForUser } from "./audit-for-user";
import { markCurrentSessionVerified } from "./current-session";
import type { SecondFactorInput } from "./factor-types";
import { requirePassword } from "./password";
import { verifySecondFactor } from "./verification";

// Recovery codes: a set of 10 single-use codes, hashed; shown once when issued (rule S14: codes are shown once and
// a new set voids the old one).

export const RECOVERY_CODE_COUNT = 10;

export async function issueRecoveryCodes(tx: Tx, userId: string, now: Date): Promise<string[]> {
  const codes = generateRecoveryCodes(RECOVERY_CODE_COUNT);
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({
    data: codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code, userId), createdAt: now })),
  });
  return codes;
}

/** Regenerates recovery codes: password + a current code (S14: codes are shown once, a new set voids the old one);
 *  voids the old set; returns the new codes once. */
export async function regenerateRecoveryCodes(
  { actor, input, context }: { actor: Actor; input: { password: string } & SecondFactorInput; context: RequestContext },
  // No `tx`: the new set is issued in verifySecondFactor's own transaction (a failure is counted after its rollback).
  { now = new Date() }: { now?: Date } = {},
): Promise<{ recoveryCodes: string[] }> {
  const user = await requirePassword(actor.userId, input.password, context, now);
  const { result } = await verifySecondFactor(
    actor.userId,
    { method: input.method, code: input.code },
    { purpose: "regenerate", context, now },
    async (tx) => {
      const recoveryCodes = await issueRecoveryCodes(tx, actor.userId, now);
      const revoked = await markCurrentSessionVerified(tx, actor, now);
      await auditForUser(tx, actor.userId, "2fa.recovery_codes_regenerated", context, {
        otherSessionsRevoked: revoked,
      });
      await enqueueMail(tx, {
        to: user.email,
        template: "recovery-codes-regenerated",
        data: securityNoticeData(user.name, context, now),
      });
      return { recoveryCodes };
    },
  );
  return result;
}
