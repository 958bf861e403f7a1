import type { Actor } from "../../auth/actor";
import type { EnforcementMode, SecondFactorMethod } from "../../db";
import { db, Prisma, type Tx } from "../../db";
import { hasAppSql, hasSmsSql } from "../two-factor/factors";
import { complies, type PolicyState } from "./policy";

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

interface GateRow {
  signInMethod: string;
  hasTotp: boolean;
  hasSms: boolean;
  twoFactorExemptUntil: Date | null;
  organizationName: string | null;
  enforcementMode: EnforcementMode | null;
  modeSince: Date | null;
  graceDeadline: Date | null;
  exemptSso: boolean | null;
  allowedMethods: SecondFactorMethod[] | null;
}

/**
 * The gate for a user's session, across every organization that requires 2FA (S24: the setup gate). ONE statement (it
 * runs on every request of a signed-in user): the user's sign-in method and factors, and a row per active membership
 * of an organization that requires 2FA (none: a single row with null organization columns).
 */
export async function twoFactorGate(
  { actor, input }: { actor: Pick<Actor, "userId">; input: { session: SessionForGate } },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<GateState> {
  const { session } = input;
  const rows = await tx.$queryRaw<GateRow[]>`
    SELECT u."signInMethod"::text AS "signInMethod",
      ${hasAppSql(Prisma.sql`u."id"`)} AS "hasTotp",
      ${hasSmsSql(Prisma.sql`u."id"`)} AS "hasSms",
      m."twoFactorExemptUntil", o."name" AS "organizationName", o."enforcementMode"::text AS "enforcementMode",
      o."modeSince", o."graceDeadline", o."exemptSso", o."allowedMethods"::text[] AS "allowedMethods"
    FROM "User" u
    LEFT JOIN ("Membership" m JOIN "Organization" o ON o."id" = m."organizationId" AND o."requireTwoFactor")
      ON m."userId" = u."id" AND m."status" = 'ACTIVE'
    WHERE u."id" = ${actor.userId}
    ORDER BY m."createdAt", m."id"`;
  const user = rows[0];
  if (!user) return { kind: "clear" };
  // A member whose only factor is one the organization forbids (e.g. SMS) is gated like a member without 2FA.
  const memberships = rows.filter((r) => r.organizationName !== null);
  return gateForMemberships(
    memberships.map((m) => {
      const policy = {
        enforcementMode: m.enforcementMode,
        modeSince: m.modeSince,
        graceDeadline: m.graceDeadline,
        exemptSso: m.exemptSso === true,
        allowedMethods: m.allowedMethods ?? [],
      };
      return {
        organizationName: m.organizationName as string,
        policy,
        compliant: complies(
          policy,
          {
            twoFactorExemptUntil: m.twoFactorExemptUntil,
            signInMethod: user.signInMethod,
            hasTotp: user.hasTotp,
            hasSms: user.hasSms,
          },
          now,
        ),
      };
    }),
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
