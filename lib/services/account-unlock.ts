import { type Actor, ADMINS } from "../auth/actor";
import { db, type Tx } from "../db";
import { DomainError } from "../errors";
import type { LockedFactor } from "../mail/templates/account-locked";
import { type RequestContext, recordAuditEvent } from "./audit/audit-log";
import { actorMembership, organizationOf, targetMembership } from "./authz";
import { enqueueMail } from "./outbox/outbox";
import { passwordKeys, succeed, succeedPrefix } from "./rate-limit";
import { assertRecentStepUp } from "./two-factor/step-up";
import { secondFactorKey } from "./two-factor/verification";

// Locked teammates (issue 9 item 3, S11): what is locked and until when (for Settings > Users), and an administrator's
// unlock. An unlock lets more guesses in, so it is treated like the other admin actions on a teammate's sign-in (S25,
// S26): same organization, owners and admins only, never the owner (nor anyone who owns an organization) unless you
// are the owner, never yourself, a recent step-up; audited in every organization of the teammate (S40) and mailed to
// them, in one transaction.

export interface LockStatus {
  /** Password sign-in paused until (the latest of the account's locks), null when not. */
  passwordUntil: Date | null;
  /** "account": from every network; "network": from some networks only. */
  passwordScope: "account" | "network" | null;
  /** Two-factor sign-in locked until, null when not. */
  secondFactorUntil: Date | null;
}

const later = (a: Date | null, b: Date | null) => (!a ? b : !b ? a : a > b ? a : b);

/** The lock status of each person (only those locked are in the map). */
export async function lockStatuses(
  tx: Tx,
  people: { userId: string; email: string }[],
  now = new Date(),
): Promise<Map<string, LockStatus>> {
  const out = new Map<string, LockStatus>();
  if (people.length === 0) return out;
  const rows = await tx.rateLimit.findMany({
    where: {
      lockedUntil: { gt: now },
      OR: [
        { key: { in: people.map((p) => passwordKeys.account(p.email)) } },
        { key: { in: people.map((p) => secondFactorKey(p.userId)) } },
        ...people.map((p) => ({ key: { startsWith: passwordKeys.accountNetworks(p.email) } })),
      ],
    },
    select: { key: true, lockedUntil: true },
  });
  for (const p of people) {
    const account = passwordKeys.account(p.email);
    const networks = passwordKeys.accountNetworks(p.email);
    const factorKey = secondFactorKey(p.userId);
    let status: LockStatus = { passwordUntil: null, passwordScope: null, secondFactorUntil: null };
    for (const r of rows) {
      if (r.key === account)
        status = { ...status, passwordUntil: later(status.passwordUntil, r.lockedUntil), passwordScope: "account" };
      else if (r.key.startsWith(networks))
        status = {
          ...status,
          passwordUntil: later(status.passwordUntil, r.lockedUntil),
          passwordScope: status.passwordScope ?? "network",
        };
      else if (r.key === factorKey) status = { ...status, secondFactorUntil: r.lockedUntil };
    }
    if (status.passwordUntil || status.secondFactorUntil) out.set(p.userId, status);
  }
  return out;
}

/** Settings > Users: the locks of the given teammates of the actor's organization (administrators only). */
export async function teammateLocks(
  actor: Actor,
  people: { userId: string; email: string }[],
  now = new Date(),
): Promise<Map<string, LockStatus>> {
  await actorMembership(db, actor, ADMINS);
  const members = await db.membership.findMany({
    where: { organizationId: organizationOf(actor), status: "ACTIVE", userId: { in: people.map((p) => p.userId) } },
    select: { user: { select: { id: true, email: true } } },
  });
  return lockStatuses(
    db,
    members.map((m) => ({ userId: m.user.id, email: m.user.email })),
    now,
  );
}

/** The one Actor (lib/auth/actor.ts); kept as a name for this module's callers. */
export type UnlockActor = Actor;

/**
 * Unlocks a teammate: forgets the password failures of their account (every network) and of their second factor, as a
 * success would. Refused with TEAMMATE_NOT_LOCKED when nothing is locked (nothing changes).
 */
export async function unlockTeammate(
  actor: UnlockActor,
  input: { membershipId: string },
  context: RequestContext,
  now = new Date(),
): Promise<{ unlocked: LockedFactor[] }> {
  return db.$transaction(async (tx) => {
    const own = await actorMembership(tx, actor, ADMINS);
    if (own.id === input.membershipId) throw new DomainError("NOT_ON_YOURSELF");
    const target = await targetMembership(tx, actor, input.membershipId);
    if (own.role !== "OWNER") {
      const ownsAnOrganization = await tx.membership.count({
        where: { userId: target.userId, role: "OWNER", status: "ACTIVE" },
      });
      if (ownsAnOrganization > 0) throw new DomainError("OWNER_PROTECTED");
    }
    await assertRecentStepUp(tx, actor.sessionId, now, actor.userId);

    const { id: userId, email, name } = target.user;
    // Serialize concurrent unlocks (and see the locks as they are now).
    await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${userId} FOR UPDATE`;
    const status = (await lockStatuses(tx, [{ userId, email }], now)).get(userId);
    if (!status) throw new DomainError("TEAMMATE_NOT_LOCKED");
    const unlocked: LockedFactor[] = [];
    if (status.passwordUntil) unlocked.push("password");
    if (status.secondFactorUntil) unlocked.push("second-factor");

    await succeed(tx, passwordKeys.account(email), now);
    await succeedPrefix(tx, passwordKeys.accountNetworks(email), now);
    await succeed(tx, secondFactorKey(userId), now);

    // One query at a time: a transaction is one connection.
    const admin = await tx.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { name: true } });
    const organization = await tx.organization.findUniqueOrThrow({
      where: { id: organizationOf(actor) },
      select: { name: true },
    });
    const memberships = await tx.membership.findMany({
      where: { userId, status: "ACTIVE" },
      select: { organizationId: true },
    });
    // S40: every organization of the teammate sees it, and which organization did it.
    for (const { organizationId } of memberships) {
      await recordAuditEvent(tx, {
        type: "account.unlocked",
        organizationId,
        actorId: actor.userId,
        targetId: userId,
        context,
        metadata: {
          factors: unlocked,
          byOrganizationId: organizationOf(actor),
          byOrganization: organization.name,
          ...(status.passwordUntil ? { passwordLockedUntil: status.passwordUntil.toISOString() } : {}),
          ...(status.secondFactorUntil ? { secondFactorLockedUntil: status.secondFactorUntil.toISOString() } : {}),
        },
      });
    }
    await enqueueMail(tx, {
      to: email,
      template: "account-unlocked",
      data: {
        name,
        adminName: admin.name,
        organizationName: organization.name,
        factors: unlocked,
        at: now.toISOString(),
      },
    });
    return { unlocked };
  });
}
