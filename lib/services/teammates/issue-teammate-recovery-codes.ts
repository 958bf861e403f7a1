import type { Actor } from "../../auth/actor";
import { db, inTransaction, type Tx } from "../../db";
import { DomainError, detailMessages } from "../../errors";
import type { RequestContext } from "../audit/audit-log";
import { enqueueMail } from "../outbox/outbox";
import { issueRecoveryCodes } from "../two-factor/recovery";
import { auditEverywhere, authorizeTeammateAction } from "./teammate-authorization";

/**
 * Replaces a teammate's recovery codes with a new set of 10 and mails them to the teammate only (S27: the admin never
 * sees a secret or a code): the old set stops working, and the return value carries the count, never a code. Refused
 * with TEAMMATE_NO_TWO_FACTOR when the teammate has no authenticator (codes are a fallback for it).
 */
export async function issueRecoveryCodesForTeammate(
  { actor, input, context }: { actor: Actor; input: { membershipId: string }; context: RequestContext },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<{ issued: number }> {
  return inTransaction(tx, async (t) => {
    const { target, adminName, organizationName } = await authorizeTeammateAction(t, actor, input.membershipId, now);
    const userId = target.userId;
    // Lock the factor rows (an app, a phone) so that a concurrent reset cannot remove them between this check and the
    // new codes.
    const app = await t.$queryRaw<{ userId: string }[]>`
      SELECT "userId" FROM "TotpFactor" WHERE "userId" = ${userId} FOR UPDATE`;
    const phone = await t.$queryRaw<{ userId: string }[]>`
      SELECT "userId" FROM "PhoneFactor" WHERE "userId" = ${userId} FOR UPDATE`;
    if (app.length + phone.length === 0) {
      throw new DomainError("TEAMMATE_NO_TWO_FACTOR", { detail: detailMessages.RECOVERY_CODES_NEED_AUTHENTICATOR });
    }
    const codes = await issueRecoveryCodes(t, userId, now);
    await auditEverywhere(t, actor, userId, {
      type: "2fa.recovery_codes_issued",
      context,
      metadata: { membershipId: target.id, issued: codes.length },
    });
    await enqueueMail(t, {
      to: target.user.email,
      template: "recovery-codes-issued",
      data: { name: target.user.name, adminName, organizationName, at: now.toISOString(), codes },
    });
    return { issued: codes.length };
  });
}
