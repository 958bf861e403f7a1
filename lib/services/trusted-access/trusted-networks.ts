import { type Actor, ADMINS } from "../../auth/actor";
import { db, inTransaction, isUniqueViolation, type Tx } from "../../db";
import { DomainError } from "../../errors";
import { entryConflicts, parseAllowlistEntry } from "../../net/cidr";
import { checkLabel } from "../../validation/trusted-networks";
import { type RequestContext, recordAuditEvent } from "../audit/audit-log";
import { actorMembership, organizationOf } from "../authz";
import { assertRecentStepUp } from "../two-factor/step-up";

// Trusted office networks (issue 11 item 1; S31, S42): owners and administrators of a Professional/Enterprise
// organization list IPv4/IPv6 ranges from which the second step of sign-in is skipped (skip.ts decides). Adding or
// removing one, and widening whom they apply to, needs a recent step-up; every change is audited with the change.

export const MAX_TRUSTED_NETWORKS = 100;

export type TrustedNetworkScopeValue = "EVERYONE" | "MEMBERS_ONLY";

/** Trusted networks are a Professional/Enterprise feature (a Free organization sees why, and may still remove). */
export const planAllowsTrustedNetworks = (plan: string): boolean => plan === "PROFESSIONAL" || plan === "ENTERPRISE";

async function adminOrg(tx: Tx, actor: Actor) {
  await actorMembership(tx, actor, ADMINS);
  // Read FOR UPDATE: two admins adding overlapping ranges at once are checked one after the other.
  await tx.$queryRaw`SELECT id FROM "Organization" WHERE id = ${organizationOf(actor)} FOR UPDATE`;
  return tx.organization.findUniqueOrThrow({
    where: { id: organizationOf(actor) },
    select: { id: true, plan: true, trustedNetworkScope: true },
  });
}

/**
 * Adds a trusted network. Throws FORBIDDEN (not an owner/admin), TRUSTED_NETWORKS_PLAN_REQUIRED (Free),
 * STEP_UP_REQUIRED (no second-factor check in the last 10 minutes, S42), VALIDATION with `cidr`/`label` field
 * messages (not an address, too broad, a duplicate, an overlap with an existing entry), TRUSTED_NETWORK_LIMIT.
 */
export async function addTrustedNetwork(
  { actor, input, context }: { actor: Actor; input: { cidr: string; label: string }; context: RequestContext },
  { tx: outer = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<{ id: string; cidr: string; notes: string[] }> {
  const entry = parseAllowlistEntry(String(input.cidr ?? ""));
  const label = checkLabel(String(input.label ?? ""));
  if (!entry.ok || !label.ok)
    throw new DomainError("VALIDATION", {
      fields: { ...(entry.ok ? {} : { cidr: entry.error }), ...(label.ok ? {} : { label: label.error }) },
    });
  try {
    return await inTransaction(outer, async (tx) => {
      const org = await adminOrg(tx, actor);
      if (!planAllowsTrustedNetworks(org.plan)) throw new DomainError("TRUSTED_NETWORKS_PLAN_REQUIRED");
      await assertRecentStepUp(tx, actor.sessionId, now, actor.userId);
      const existing = await tx.trustedNetwork.findMany({
        where: { organizationId: org.id },
        select: { cidr: true, label: true },
      });
      if (existing.length >= MAX_TRUSTED_NETWORKS) throw new DomainError("TRUSTED_NETWORK_LIMIT");
      const conflicts = entryConflicts(entry.cidr, existing);
      if (conflicts.duplicateOf !== null)
        throw new DomainError("VALIDATION", {
          fields: { cidr: `${entry.cidr} is already trusted as “${conflicts.duplicateOf}”.` },
        });
      if (conflicts.overlaps.length > 0)
        throw new DomainError("VALIDATION", {
          fields: {
            cidr: `${entry.cidr} overlaps ${conflicts.overlaps.join(", ")}. Remove that entry first, or choose a range that does not overlap.`,
          },
        });
      const row = await tx.trustedNetwork.create({
        data: {
          organizationId: org.id,
          cidr: entry.cidr,
          label: label.label,
          createdById: actor.userId,
          createdAt: now,
        },
      });
      await recordAuditEvent(tx, {
        type: "trusted_network.added",
        organizationId: org.id,
        actorId: actor.userId,
        context,
        metadata: { cidr: entry.cidr, label: label.label, typed: String(input.cidr).trim().slice(0, 64) },
      });
      return { id: row.id, cidr: entry.cidr, notes: entry.notes };
    });
  } catch (e) {
    // Two identical additions at once: the unique index lets one in; the other reads as the duplicate it is.
    if (isUniqueViolation(e))
      throw new DomainError("VALIDATION", { fields: { cidr: `${entry.cidr} is already trusted.` } });
    throw e;
  }
}

/** Removes a trusted network of the actor's organization (step-up, S42; audited). NOT_FOUND for another's. */
export async function removeTrustedNetwork(
  { actor, input, context }: { actor: Actor; input: { id: string }; context: RequestContext },
  { tx: outer = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<{ removed: true }> {
  return inTransaction(outer, async (tx) => {
    const org = await adminOrg(tx, actor);
    await assertRecentStepUp(tx, actor.sessionId, now, actor.userId);
    const row = await tx.trustedNetwork.findUnique({ where: { id: String(input.id) } });
    if (!row || row.organizationId !== org.id) throw new DomainError("NOT_FOUND");
    const { count } = await tx.trustedNetwork.deleteMany({ where: { id: row.id, organizationId: org.id } });
    if (count !== 1) throw new DomainError("NOT_FOUND");
    await recordAuditEvent(tx, {
      type: "trusted_network.removed",
      organizationId: org.id,
      actorId: actor.userId,
      context,
      metadata: { cidr: row.cidr, label: row.label },
    });
    return { removed: true };
  });
}

/**
 * Whom the trusted networks apply to: everyone, or members but not owners/administrators. Widening it to everyone is a
 * weakening and needs a step-up (S42); narrowing never asks. Saving the current value changes and audits nothing.
 */
export async function setTrustedNetworkScope(
  { actor, input, context }: { actor: Actor; input: { scope: TrustedNetworkScopeValue }; context: RequestContext },
  { tx: outer = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<{ scope: TrustedNetworkScopeValue; changed: boolean }> {
  if (input.scope !== "EVERYONE" && input.scope !== "MEMBERS_ONLY") throw new DomainError("VALIDATION");
  return inTransaction(outer, async (tx) => {
    const org = await adminOrg(tx, actor);
    if (!planAllowsTrustedNetworks(org.plan)) throw new DomainError("TRUSTED_NETWORKS_PLAN_REQUIRED");
    if (org.trustedNetworkScope === input.scope) return { scope: input.scope, changed: false };
    if (input.scope === "EVERYONE") await assertRecentStepUp(tx, actor.sessionId, now, actor.userId);
    await tx.organization.update({ where: { id: org.id }, data: { trustedNetworkScope: input.scope } });
    await recordAuditEvent(tx, {
      type: "trusted_network.scope_changed",
      organizationId: org.id,
      actorId: actor.userId,
      context,
      metadata: { scope: input.scope, from: org.trustedNetworkScope },
    });
    return { scope: input.scope, changed: true };
  });
}
