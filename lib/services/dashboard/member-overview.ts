import type { Actor } from "../../auth/actor";
import type { Role } from "../../db";
import { db, type Tx } from "../../db";
import type { RequestContext } from "../audit/audit-log";
import { actorMembership, organizationOf } from "../authz";
import { listActiveSessions } from "../sessions/active-session";

// A member's own dashboard (issue 15 §5): their two-factor state, their sessions, who the owner is. Nothing about
// the organization's members: no counts, no names but the owner's.

export interface MemberOverview {
  role: Role;
  twoFactor: {
    enabled: boolean;
    /** "an authenticator app", "text messages", or both (issue 12); null without a factor */
    methods: string | null;
    since: Date | null;
    recoveryCodesLeft: number;
    /** An administrator's exemption from the organization's requirement, while it lasts. */
    exemptUntil: Date | null;
    /** The organization requires 2FA (and, during a grace period, by when). */
    required: boolean;
    deadline: Date | null;
  };
  sessions: { id: string; current: boolean; userAgent: string | null; ip: string | null; lastSeenAt: Date }[];
  owner: { name: string; email: string } | null;
}

/** The member's earliest second factor (an app or a phone) and the words for their methods, or null without one. */
async function firstFactor(tx: Tx, userId: string): Promise<{ confirmedAt: Date; methods: string } | null> {
  const [app, phone] = await Promise.all([
    tx.totpFactor.findUnique({ where: { userId }, select: { confirmedAt: true } }),
    tx.phoneFactor.findUnique({ where: { userId }, select: { confirmedAt: true } }),
  ]);
  const earliest = app && phone ? (app.confirmedAt <= phone.confirmedAt ? app : phone) : (app ?? phone);
  if (!earliest) return null;
  const methods =
    app && phone ? "an authenticator app and text messages" : app ? "an authenticator app" : "text messages";
  return { confirmedAt: earliest.confirmedAt, methods };
}

export async function memberOverview(
  { actor }: { actor: Actor; input?: Record<string, never>; context?: RequestContext },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<MemberOverview> {
  const membership = await actorMembership(tx, actor, ["OWNER", "ADMIN", "MEMBER"]);
  const [factor, codesLeft, org, owner, sessions] = await Promise.all([
    firstFactor(tx, actor.userId),
    tx.recoveryCode.count({ where: { userId: actor.userId, usedAt: null } }),
    tx.organization.findUniqueOrThrow({
      where: { id: organizationOf(actor) },
      select: { requireTwoFactor: true, enforcementMode: true, graceDeadline: true },
    }),
    tx.membership.findFirst({
      where: { organizationId: organizationOf(actor), role: "OWNER", status: "ACTIVE" },
      select: { user: { select: { name: true, email: true } } },
    }),
    listActiveSessions(actor.userId, { tx, now }),
  ]);
  const exemptUntil =
    membership.twoFactorExemptUntil && membership.twoFactorExemptUntil > now ? membership.twoFactorExemptUntil : null;
  return {
    role: membership.role,
    twoFactor: {
      enabled: factor !== null,
      since: factor?.confirmedAt ?? null,
      methods: factor?.methods ?? null,
      recoveryCodesLeft: factor ? codesLeft : 0,
      exemptUntil,
      required: org.requireTwoFactor,
      deadline: org.requireTwoFactor && org.enforcementMode === "GRACE" ? org.graceDeadline : null,
    },
    sessions: sessions.map((s) => ({
      id: s.id,
      current: s.id === actor.sessionId,
      userAgent: s.userAgent,
      ip: s.ip,
      lastSeenAt: s.lastSeenAt,
    })),
    owner: owner ? { name: owner.user.name, email: owner.user.email } : null,
  };
}
