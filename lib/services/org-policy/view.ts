import { type Actor, ADMINS } from "../../auth/actor";
import { db, inTransaction, type SecondFactorMethod, type Tx } from "../../db";
import { actorMembership, organizationOf } from "../authz";
import { factorsOf, hasAnyFactor } from "../two-factor/factors";
import { loadPolicy, nonCompliantMembers, otherAdminsWithTwoFactor, type PolicyRow } from "./policy";

// What Settings > Organization security shows (issue 4): the policy, and the impact preview computed live from the
// database — how many members have not set up 2FA, who they are, and whether the acting admin could lock themselves
// out. Owners and administrators only (S25: only they see or change organization security).

const IMPACT_LIST_LIMIT = 50;

interface ImpactMember {
  membershipId: string;
  name: string;
  email: string;
  role: string;
  type: string;
  lastSignInAt: Date | null;
}

export interface PolicyOverview {
  policy: PolicyRow;
  totalMembers: number;
  membersWithout2fa: number;
  /** The first IMPACT_LIST_LIMIT of them, by name. */
  withoutList: ImpactMember[];
  ssoUsers: number;
  /** Members (not exempt) whose only factor is this method: forbidding it would leave them without an allowed one
   *  (the impact preview of the allowed methods, issue 12). */
  onlyFactor: Record<SecondFactorMethod, number>;
  /** Who saved the policy last (null: never saved, or that account is gone). */
  updatedBy: { id: string; name: string } | null;
  actor: {
    hasTwoFactor: boolean;
    recoveryCodesLeft: number;
    /** True when no other owner/admin of the organization has 2FA. */
    onlyAdminWithTwoFactor: boolean;
  };
}

export async function policyOverview(
  { actor }: { actor: Actor },
  { tx: outer = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<PolicyOverview> {
  return inTransaction(outer, async (tx) => {
    await actorMembership(tx, actor, ADMINS);
    const policy = await loadPolicy(tx, organizationOf(actor));
    const without = nonCompliantMembers(policy, now);
    // Whose only factor is X: those who would not comply with only the OTHER method allowed, yet have X.
    const onlyFactorCount = (method: SecondFactorMethod) =>
      tx.membership.count({
        where: {
          AND: [
            nonCompliantMembers({ ...policy, allowedMethods: method === "SMS" ? ["TOTP"] : ["SMS"] }, now),
            { user: method === "SMS" ? { phoneFactor: { isNot: null } } : { totpFactor: { isNot: null } } },
          ],
        },
      });
    const [onlyApp, onlySms] = await Promise.all([onlyFactorCount("TOTP"), onlyFactorCount("SMS")]);
    const [totalMembers, membersWithout2fa, list, ssoUsers, own, codesLeft, otherAdminsWith2fa] = await Promise.all([
      tx.membership.count({ where: { organizationId: policy.id, status: "ACTIVE" } }),
      tx.membership.count({ where: without }),
      tx.membership.findMany({
        where: without,
        select: {
          id: true,
          role: true,
          type: true,
          user: { select: { name: true, email: true, lastSignInAt: true } },
        },
        orderBy: [{ user: { name: "asc" } }, { id: "asc" }],
        take: IMPACT_LIST_LIMIT,
      }),
      tx.membership.count({ where: { organizationId: policy.id, status: "ACTIVE", user: { signInMethod: "SSO" } } }),
      factorsOf(actor.userId, { tx }),
      tx.recoveryCode.count({ where: { userId: actor.userId, usedAt: null } }),
      otherAdminsWithTwoFactor(tx, policy.id, actor.userId),
    ]);
    const updatedBy = policy.policyUpdatedById
      ? await tx.user.findUnique({ where: { id: policy.policyUpdatedById }, select: { id: true, name: true } })
      : null;
    return {
      policy,
      updatedBy,
      totalMembers,
      membersWithout2fa,
      withoutList: list.map((m) => ({
        membershipId: m.id,
        name: m.user.name,
        email: m.user.email,
        role: m.role,
        type: m.type,
        lastSignInAt: m.user.lastSignInAt,
      })),
      ssoUsers,
      onlyFactor: { TOTP: onlyApp, SMS: onlySms },
      actor: {
        hasTwoFactor: hasAnyFactor(own),
        recoveryCodesLeft: hasAnyFactor(own) ? codesLeft : 0,
        onlyAdminWithTwoFactor: hasAnyFactor(own) && otherAdminsWith2fa === 0,
      },
    };
  });
}
