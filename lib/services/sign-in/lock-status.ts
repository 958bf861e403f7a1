import { type Actor, ADMINS } from "../../auth/actor";
import { db, type Tx } from "../../db";
import { actorMembership, organizationOf } from "../authz";
import { passwordKeys } from "../rate-limit/password-limits";
import { secondFactorKey } from "../two-factor/lock-policy";

// What is locked and until when (issue 9 item 3), for Settings > Users and the administrator's unlock.

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
  { actor, input }: { actor: Actor; input: { people: { userId: string; email: string }[] } },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<Map<string, LockStatus>> {
  const { people } = input;
  await actorMembership(tx, actor, ADMINS);
  const members = await tx.membership.findMany({
    where: { organizationId: organizationOf(actor), status: "ACTIVE", userId: { in: people.map((p) => p.userId) } },
    select: { user: { select: { id: true, email: true } } },
  });
  return lockStatuses(
    tx,
    members.map((m) => ({ userId: m.user.id, email: m.user.email })),
    now,
  );
}
