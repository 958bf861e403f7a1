import { type Actor, ADMINS } from "../../auth/actor";
import { db, inTransaction, type Tx } from "../../db";
import { fieldError } from "../../errors";
import { isCountryCode } from "../../sms/countries";
import { type RequestContext, recordAuditEvent } from "../audit/audit-log";
import { actorMembership, organizationOf } from "../authz";
import { nextUtcDay, smsLimits, utcDayStart } from "./caps";

// Organization security › Text messages (issue 12 item 6): what the owner sees of SMS today (texts sent and refused,
// the organization's daily limit) and the list of countries texts may go to. Owners and administrators see it; only
// the owner changes the countries (each change audited with the change).

export interface OrganizationSmsView {
  countries: string[];
  dailyLimit: number;
  sentToday: number;
  refusedToday: number;
  /** when today's counts start over (00:00 UTC) */
  resetsAt: Date;
  /** the caps every organization shares (env) */
  perNumber: number;
  perAccount: number;
  perIp: number;
  canEdit: boolean;
}

export async function organizationSmsOverview(
  { actor }: { actor: Actor },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<OrganizationSmsView> {
  const organizationId = organizationOf(actor);
  const membership = await actorMembership(tx, actor, ADMINS);
  const since = utcDayStart(now);
  const [org, sentToday, refusedToday] = await Promise.all([
    tx.organization.findUniqueOrThrow({
      where: { id: organizationId },
      select: { smsCountries: true, smsDailyLimit: true },
    }),
    tx.smsSend.count({ where: { organizationId, createdAt: { gte: since, lt: nextUtcDay(now) } } }),
    tx.auditEvent.count({ where: { organizationId, type: "sms.send_refused", createdAt: { gte: since } } }),
  ]);
  const limits = smsLimits();
  return {
    countries: org.smsCountries,
    dailyLimit: org.smsDailyLimit,
    sentToday,
    refusedToday,
    resetsAt: nextUtcDay(now),
    perNumber: limits.perNumber,
    perAccount: limits.perAccount,
    perIp: limits.perIp,
    canEdit: membership.role === "OWNER",
  };
}

/** Sets the countries texts may go to (owner only). Throws FORBIDDEN, VALIDATION (unknown codes, more than 60). */
export async function setSmsCountries(
  { actor, input, context }: { actor: Actor; input: { countries: string[] }; context: RequestContext },
  { tx: outer = db }: { tx?: Tx } = {},
): Promise<{ countries: string[]; changed: boolean }> {
  const countries = [...new Set(input.countries.map((c) => String(c).trim().toUpperCase()))].sort();
  if (countries.length > 60) throw fieldError("VALIDATION", { countries: { text: "Choose at most 60 countries." } });
  const unknown = countries.filter((c) => !isCountryCode(c));
  if (unknown.length > 0)
    throw fieldError("VALIDATION", { countries: { text: `Not a country code: ${unknown.join(", ")}.` } });
  const organizationId = organizationOf(actor);
  return inTransaction(outer, async (tx) => {
    await actorMembership(tx, actor, ["OWNER"]);
    // Row lock: two owners' tabs saving at once are audited one after the other, each against what it replaced.
    await tx.$queryRaw`SELECT id FROM "Organization" WHERE id = ${organizationId} FOR UPDATE`;
    const { smsCountries: before } = await tx.organization.findUniqueOrThrow({
      where: { id: organizationId },
      select: { smsCountries: true },
    });
    if (before.join(",") === countries.join(",")) return { countries, changed: false };
    await tx.organization.update({ where: { id: organizationId }, data: { smsCountries: countries } });
    await recordAuditEvent(tx, {
      type: "policy.sms_countries_changed",
      organizationId,
      actorId: actor.userId,
      context,
      metadata: {
        countries,
        added: countries.filter((c) => !before.includes(c)),
        removed: before.filter((c) => !countries.includes(c)),
      },
    });
    return { countries, changed: true };
  });
}
