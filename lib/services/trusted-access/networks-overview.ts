import { type Actor, ADMINS } from "../../auth/actor";
import { db, inTransaction, type Tx } from "../../db";
import { countInside, matchingEntry, normaliseAddress } from "../../net/cidr";
import type { RequestContext } from "../audit/audit-log";
import { actorMembership, organizationOf } from "../authz";
import { planAllowsTrustedNetworks, type TrustedNetworkScopeValue } from "./trusted-networks";

// What the "Trusted networks" section of Settings > Organization security shows: the entries, whom they apply to,
// the address this request comes from, and the preview "N of the last M sign-ins came from these networks", computed
// from the sessions (every session is a completed sign-in) of the organization's active members.

export const PREVIEW_SIGN_INS = 100;

export interface TrustedNetworksOverview {
  available: boolean;
  plan: string;
  scope: TrustedNetworkScopeValue;
  networks: { id: string; cidr: string; label: string; createdAt: Date; createdBy: string | null }[];
  /** This request's client address (S29), normalised; null when unknown. */
  currentIp: string | null;
  /** The label of the entry holding currentIp, if any. */
  currentIpTrustedBy: string | null;
  /** The addresses of the last PREVIEW_SIGN_INS sign-ins of active members, newest first (the live preview). */
  recentSignInIps: (string | null)[];
  /** How many of them came from the current entries. */
  recentFromTrusted: number;
}

export async function trustedNetworksOverview(
  { actor, context }: { actor: Actor; context: RequestContext },
  { tx: outer = db }: { tx?: Tx } = {},
): Promise<TrustedNetworksOverview> {
  return inTransaction(outer, async (tx) => {
    await actorMembership(tx, actor, ADMINS);
    const organizationId = organizationOf(actor);
    const [org, rows, sessions] = await Promise.all([
      tx.organization.findUniqueOrThrow({
        where: { id: organizationId },
        select: { plan: true, trustedNetworkScope: true },
      }),
      tx.trustedNetwork.findMany({ where: { organizationId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
      tx.session.findMany({
        where: { user: { memberships: { some: { organizationId, status: "ACTIVE" } } } },
        orderBy: { createdAt: "desc" },
        take: PREVIEW_SIGN_INS,
        select: { ip: true },
      }),
    ]);
    const creatorIds = [...new Set(rows.map((r) => r.createdById).filter((id): id is string => id !== null))];
    const creators = creatorIds.length
      ? await tx.user.findMany({ where: { id: { in: creatorIds } }, select: { id: true, name: true } })
      : [];
    const nameOf = new Map(creators.map((u) => [u.id, u.name]));
    const networks = rows.map((r) => ({
      id: r.id,
      cidr: r.cidr,
      label: r.label,
      createdAt: r.createdAt,
      createdBy: r.createdById ? (nameOf.get(r.createdById) ?? null) : null,
    }));
    const recentSignInIps = sessions.map((s) => normaliseAddress(s.ip)?.toString() ?? null);
    return {
      available: planAllowsTrustedNetworks(org.plan),
      plan: org.plan,
      scope: org.trustedNetworkScope,
      networks,
      currentIp: normaliseAddress(context.ip)?.toString() ?? null,
      currentIpTrustedBy: matchingEntry(context.ip, networks)?.label ?? null,
      recentSignInIps,
      recentFromTrusted: countInside(
        recentSignInIps,
        networks.map((n) => n.cidr),
      ),
    };
  });
}
