import type { Actor } from "../../auth/actor";
import type { EnforcementMode } from "../../db";
import { db, type Tx } from "../../db";
import { complies, type PolicyState, policySelect } from "./policy";

// The gate (S24: members who must set up two-factor authentication reach only the setup flow and sign-out): what the
// organization's requirement means for one signed-in session, consulted by every guard and by session creation.

/**
 * What the requirement means for one signed-in session:
 * - clear: nothing to do;
 * - notice: an organization requires 2FA but this session may continue (grace period, or "at next sign-in" for a
 *   session that started before the rule): a banner on every page, with the deadline when there is one;
 * - setup-required: only the 2FA setup flow and sign-out are reachable (S24, the setup gate).
 */
export type GateState =
  | { kind: "clear" }
  | { kind: "notice"; organizationName: string; mode: EnforcementMode; deadline: Date | null }
  | { kind: "setup-required"; organizationNames: string[] };

/** What the gate needs to know about a session: when it started, and whether setup was required when it did. */
export interface SessionForGate {
  createdAt: Date;
  /** Decided at creation (sessionGateAtStart): an organization required setup then. Survives a later loosening to
   *  "at next sign-in", which only spares sessions that started without the requirement. */
  setupRequiredAtStart?: boolean;
}

function gateForMemberships(
  memberships: Array<{
    organizationName: string;
    policy: Pick<PolicyState, "enforcementMode" | "modeSince" | "graceDeadline" | "exemptSso" | "allowedMethods">;
    compliant: boolean;
  }>,
  session: SessionForGate,
  now: Date,
): GateState {
  const required: string[] = [];
  let notice: Extract<GateState, { kind: "notice" }> | null = null;
  for (const m of memberships) {
    if (m.compliant) continue;
    const { enforcementMode: mode, modeSince, graceDeadline } = m.policy;
    const blocked =
      mode === "NOW" ||
      (mode === "NEXT_SIGN_IN" && (session.setupRequiredAtStart || !modeSince || session.createdAt >= modeSince)) ||
      (mode === "GRACE" && (!graceDeadline || now >= graceDeadline));
    if (blocked) required.push(m.organizationName);
    else if (mode && (!notice || (graceDeadline && (!notice.deadline || graceDeadline < notice.deadline)))) {
      notice = { kind: "notice", organizationName: m.organizationName, mode, deadline: graceDeadline };
    }
  }
  if (required.length > 0) return { kind: "setup-required", organizationNames: required };
  return notice ?? { kind: "clear" };
}

/** The gate for a user's session, across every organization that requires 2FA (S24: the setup gate). One query. */
export async function twoFactorGate(
  { actor, input }: { actor: Pick<Actor, "userId">; input: { session: SessionForGate } },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<GateState> {
  const { session } = input;
  const user = await tx.user.findUnique({
    where: { id: actor.userId },
    select: {
      signInMethod: true,
      totpFactor: { select: { userId: true } },
      phoneFactor: { select: { userId: true } },
      memberships: {
        where: { status: "ACTIVE", organization: { requireTwoFactor: true } },
        select: { twoFactorExemptUntil: true, organization: { select: policySelect } },
      },
    },
  });
  if (!user || user.memberships.length === 0) return { kind: "clear" };
  // A member whose only factor is one the organization forbids (e.g. SMS) is gated like a member without 2FA.
  const hasTotp = Boolean(user.totpFactor);
  const hasSms = Boolean(user.phoneFactor);
  return gateForMemberships(
    user.memberships.map((m) => ({
      organizationName: m.organization.name,
      policy: m.organization,
      compliant: complies(
        m.organization,
        { twoFactorExemptUntil: m.twoFactorExemptUntil, signInMethod: user.signInMethod, hasTotp, hasSms },
        now,
      ),
    })),
    session,
    now,
  );
}

/** A session created now starts after every rule this transaction can see (even one saved a moment after the
 *  caller read the clock). */
const STARTING_NOW = new Date(8.64e15);

/**
 * Decides, in the transaction that creates a session, whether the session starts gated (S24, the setup gate; issue 9 item 10): from
 * the policy at that moment, not from the policy when the pending sign-in began. The organizations' rows are read
 * FOR SHARE, so a concurrent policy change either commits first (and is seen here) or waits for this session to
 * commit (and then signs it out under "sign out now").
 */
export async function sessionGateAtStart(tx: Tx, userId: string, now: Date): Promise<boolean> {
  await tx.$queryRaw`
    SELECT o.id FROM "Organization" o
    WHERE o.id IN (SELECT m."organizationId" FROM "Membership" m WHERE m."userId" = ${userId} AND m.status = 'ACTIVE')
    ORDER BY o.id FOR SHARE`;
  const gate = await twoFactorGate({ actor: { userId }, input: { session: { createdAt: STARTING_NOW } } }, { tx, now });
  return gate.kind === "setup-required";
}

/** Whether a user's enrollment is forced: they have no compliant factor and an organization of theirs requires one
 *  (now, at next sign-in, or by a deadline). Forced enrollment also needs a code sent to their email (issue 4 §5). */
export async function enrollmentIsForced(
  { actor }: { actor: Pick<Actor, "userId"> },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<boolean> {
  return (await twoFactorGate({ actor, input: { session: { createdAt: now } } }, { tx, now })).kind !== "clear";
}
