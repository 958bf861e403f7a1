import type { Role, Tx } from "../../db";
import { matchingEntry } from "../../net/cidr";
import { countryOf } from "../../net/country";
import { networkOf } from "../../net/network";
import type { RequestContext } from "../audit/audit-log";
import { twoFactorGate } from "../org-policy/gate";
import { judgeFamiliarity, recentPassedPlaces } from "./familiarity";
import { findRememberedDevice } from "./remembered-devices";
import { planAllowsTrustedNetworks } from "./trusted-networks";

// Whether the second step of a sign-in may be skipped (issue 11 items 1–4; S29, S30), decided by the server when the
// first step passes (createChallenge), never from anything the browser says besides its own address and cookies.
//
// The rules (docs/decisions/0013-trusted-access.md):
// - A skip spares the PROMPT, never the ENROLMENT: a person without a second factor is never skipped (an organization
//   that requires 2FA still sends them to setup), and neither is a sign-in whose session would start in the setup
//   gate (pending setup, a factor the organization no longer allows).
// - The checks run in order and the first that applies wins. Each is a function of (tx, request, facts, now), so the
//   remembered-device and familiar-sign-in checks slot into SKIP_CHECKS without touching the rest.
// - The session of a skipped sign-in is lower assurance (S30): it steps up before security or admin changes.

export type SkipReason = "trusted-network" | "remembered-device" | "familiar";

export interface SecondStepSkip {
  reason: SkipReason;
  /** For the audit row: the trusted network's label(s), or the remembered device's id. */
  detail: string | null;
}

export interface SkipRequest {
  userId: string;
  /** The client address here is S29's (socket, or X-Forwarded-For only across TRUSTED_PROXIES). */
  context: RequestContext;
  /** The raw "remember this device" cookie value, when the browser sent one (read by the remembered-device check). */
  rememberedDeviceToken?: string | null;
}

/** What every check may need, loaded once. */
export interface SkipFacts {
  userId: string;
  /** The person's active memberships, oldest first, with their organization's trusted-access settings. */
  memberships: {
    organizationId: string;
    role: Role;
    organization: {
      name: string;
      plan: string;
      trustedNetworkScope: "EVERYONE" | "MEMBERS_ONLY";
      rememberDeviceDays: number;
      riskBasedPrompt: boolean;
      trustedNetworks: { cidr: string; label: string }[];
    };
  }[];
}

export type SkipCheck = (tx: Tx, request: SkipRequest, facts: SkipFacts, now: Date) => Promise<SecondStepSkip | null>;

/**
 * Trusted networks. A person in several organizations is skipped only when EVERY organization of theirs trusts the
 * address for them (plan, scope and range): one organization's office list never weakens the sign-in that another
 * organization relies on. A personal account (no organization) has no trusted networks.
 */
export const trustedNetworkCheck: SkipCheck = async (_tx, request, facts) => {
  if (facts.memberships.length === 0) return null;
  const labels: string[] = [];
  for (const m of facts.memberships) {
    const org = m.organization;
    if (!planAllowsTrustedNetworks(org.plan)) return null;
    if (org.trustedNetworkScope === "MEMBERS_ONLY" && (m.role === "OWNER" || m.role === "ADMIN")) return null;
    const entry = matchingEntry(request.context.ip, org.trustedNetworks);
    if (!entry) return null;
    if (!labels.includes(entry.label)) labels.push(entry.label);
  }
  return { reason: "trusted-network", detail: labels.join(", ").slice(0, 200) };
};

/** "Remember this device" (item 2, S32): this browser's cookie matches a stored hash of this person, not expired, and
 *  younger than the days every organization of theirs allows today (remembered-devices.ts). */
export const rememberedDeviceCheck: SkipCheck = async (tx, request, _facts, now) => {
  const device = await findRememberedDevice(tx, request.userId, request.rememberedDeviceToken, now);
  return device ? { reason: "remembered-device", detail: device.id } : null;
};

/**
 * The risk-based prompt (item 3): only when EVERY organization of the person turned it on (a personal account has no
 * one to turn it on: off). Familiar = a network (/24, /48) and country where this person passed a second step in the
 * last 30 days (familiarity.ts); an unknown country is never familiar.
 */
export const familiarSignInCheck: SkipCheck = async (tx, request, facts, now) => {
  if (facts.memberships.length === 0 || !facts.memberships.every((m) => m.organization.riskBasedPrompt)) return null;
  const verdict = judgeFamiliarity({
    history: await recentPassedPlaces(tx, request.userId, now),
    rememberedDevice: false,
    network: networkOf(request.context.ip),
    country: countryOf(request.context.ip),
    now,
  });
  return verdict.familiar ? { reason: "familiar", detail: verdict.because ?? null } : null;
};

/** The checks, in order. The first one that applies decides the skip. */
export const SKIP_CHECKS: readonly SkipCheck[] = [trustedNetworkCheck, rememberedDeviceCheck, familiarSignInCheck];

/** A session created now starts after every rule this transaction can see (as in org-policy/gate.ts). */
const STARTING_NOW = new Date(8.64e15);

/** Whether this sign-in may skip its second step, and why; null: ask for the code (or the setup) as usual. */
export async function decideSecondStepSkip(
  tx: Tx,
  request: SkipRequest,
  now = new Date(),
): Promise<SecondStepSkip | null> {
  const user = await tx.user.findUnique({
    where: { id: request.userId },
    select: {
      totpFactor: { select: { userId: true } },
      phoneFactor: { select: { userId: true } },
      memberships: {
        where: { status: "ACTIVE" },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: {
          organizationId: true,
          role: true,
          organization: {
            select: {
              name: true,
              plan: true,
              trustedNetworkScope: true,
              rememberDeviceDays: true,
              riskBasedPrompt: true,
              trustedNetworks: { select: { cidr: true, label: true } },
            },
          },
        },
      },
    },
  });
  // No second factor: nothing to skip (the enrolment an organization demands is never skipped).
  if (!user || (!user.totpFactor && !user.phoneFactor)) return null;
  // A skipped sign-in is lower assurance and must step up before security or admin changes (S30); a person whose only
  // factor is a phone steps up with a texted code (lib/services/two-factor/step-up-sms.ts), so they are spared like
  // anyone else.
  // A session that would start in the setup gate (S24) never skips: it must set up, with the code asked as usual.
  const gate = await twoFactorGate(
    { actor: { userId: request.userId }, input: { session: { createdAt: STARTING_NOW } } },
    { tx, now },
  );
  if (gate.kind === "setup-required") return null;
  const facts: SkipFacts = { userId: request.userId, memberships: user.memberships };
  for (const check of SKIP_CHECKS) {
    const skip = await check(tx, request, facts, now);
    if (skip) return skip;
  }
  return null;
}
