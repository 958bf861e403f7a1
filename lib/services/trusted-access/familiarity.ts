import type { Tx } from "../../db";

// Issue 11, item 3: the risk-based prompt ("ask for a code only when a sign-in looks unusual"). A sign-in is familiar
// when it comes from a remembered device of this person, or from a network (/24 IPv4, /48 IPv6, lib/net/network.ts)
// AND country where this person passed a second step within the last 30 days. Anything else asks for the code.
// The rule is a pure function of its inputs (unit tested); the rows it reads are FamiliarNetwork, upserted on every
// passed second step (recordPassedSecondStep below).

export const FAMILIAR_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

/** Where this person passed a second step: network, country (null = unknown) and when, last. */
export interface PassedPlace {
  network: string;
  country: string | null;
  lastPassedAt: Date;
}

export interface FamiliarityInput {
  history: readonly PassedPlace[];
  /** A valid remembered device of this person presented by this browser (already checked: owner, expiry, policy). */
  rememberedDevice: boolean;
  /** This sign-in's network ("192.0.2.0/24", "2001:db8:1::/48"); null when the address is unknown. */
  network: string | null;
  /** This sign-in's country; null when unknown (private, loopback, unlisted): an unknown country is never familiar. */
  country: string | null;
  now: Date;
}

export type Familiarity =
  | { familiar: true; because: "remembered-device" | "network-and-country" }
  | { familiar: false };

export function judgeFamiliarity({ history, rememberedDevice, network, country, now }: FamiliarityInput): Familiarity {
  if (rememberedDevice) return { familiar: true, because: "remembered-device" };
  if (!network || !country) return { familiar: false };
  const since = now.getTime() - FAMILIAR_WINDOW_DAYS * DAY_MS;
  const match = history.some(
    (h) =>
      h.network === network &&
      h.country === country &&
      h.lastPassedAt.getTime() > since &&
      h.lastPassedAt.getTime() <= now.getTime(),
  );
  return match ? { familiar: true, because: "network-and-country" } : { familiar: false };
}

/** The places where this person passed a second step within the window (the rule's history). */
export async function recentPassedPlaces(tx: Tx, userId: string, now: Date): Promise<PassedPlace[]> {
  return tx.familiarNetwork.findMany({
    where: { userId, lastPassedAt: { gt: new Date(now.getTime() - FAMILIAR_WINDOW_DAYS * DAY_MS) } },
    select: { network: true, country: true, lastPassedAt: true },
  });
}

/** Called on every passed second step, in its transaction: this network and country are now familiar for 30 days. */
export async function recordPassedSecondStep(
  tx: Tx,
  { userId, network, country }: { userId: string; network: string | null; country: string | null },
  now: Date,
): Promise<void> {
  if (!network) return;
  await tx.familiarNetwork.upsert({
    where: { userId_network: { userId, network } },
    create: { userId, network, country, firstPassedAt: now, lastPassedAt: now },
    update: { country, lastPassedAt: now },
  });
}
