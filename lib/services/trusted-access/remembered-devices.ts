import { hashToken, randomToken } from "../../crypto/tokens";
import type { Tx } from "../../db";
import { deviceName } from "../../format/user-agent";
import { countryOf } from "../../net/country";
import type { RequestContext } from "../audit/audit-log";
import { auditForUser } from "../two-factor/audit-for-user";

// Issue 11, item 2 (S32): "remember this device". A remembered device skips the second step for its person on that
// browser until it expires. The browser holds 32 random bytes (256 bits) in an HttpOnly, Secure, SameSite=Lax cookie
// (lib/auth/cookies.ts); only their sha256 is stored, with the person, the organization whose policy set the days,
// those days and the expiry. The allowed days are the organizations' Organization.rememberDeviceDays (0 = off), the
// minimum over all of a person's organizations; a personal account outside any organization gets 30.

export const MAX_REMEMBER_DEVICE_DAYS = 30;
export const PERSONAL_REMEMBER_DEVICE_DAYS = 30;
const DAY_MS = 86_400_000;

export interface RememberPolicy {
  /** 0 = remembering is off for this person. */
  days: number;
  /** The organization whose setting decides (the strictest); null for a personal account. */
  organizationId: string | null;
}

/** How long this person's devices may be remembered now: the strictest of their organizations. */
export async function rememberDevicePolicy(tx: Tx, userId: string): Promise<RememberPolicy> {
  const rows = await tx.membership.findMany({
    where: { userId, status: "ACTIVE" },
    select: { organization: { select: { id: true, rememberDeviceDays: true } } },
  });
  if (rows.length === 0) return { days: PERSONAL_REMEMBER_DEVICE_DAYS, organizationId: null };
  const strictest = rows
    .map((r) => r.organization)
    .reduce((a, b) => (b.rememberDeviceDays < a.rememberDeviceDays ? b : a));
  return {
    days: Math.max(0, Math.min(MAX_REMEMBER_DEVICE_DAYS, strictest.rememberDeviceDays)),
    organizationId: strictest.id,
  };
}

/** The remembered device this browser's token names, if it is this person's, unexpired, and still allowed by the
 *  current policy (a device older than today's allowed days no longer counts, even before it is deleted). */
export async function findRememberedDevice(
  tx: Tx,
  userId: string,
  token: string | null | undefined,
  now: Date,
): Promise<{ id: string } | null> {
  if (!token || token.length > 200) return null;
  const device = await tx.rememberedDevice.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { id: true, userId: true, createdAt: true, expiresAt: true },
  });
  if (!device || device.userId !== userId || device.expiresAt <= now) return null;
  const { days } = await rememberDevicePolicy(tx, userId);
  if (days <= 0 || device.createdAt.getTime() + days * DAY_MS <= now.getTime()) return null;
  return { id: device.id };
}

/** The skip used it: last use, and where from. */
export async function touchRememberedDevice(tx: Tx, id: string, context: RequestContext, now: Date): Promise<void> {
  await tx.rememberedDevice.update({
    where: { id },
    data: { lastUsedAt: now, ip: context.ip, country: countryOf(context.ip) },
  });
}

/** After a passed second step with the box ticked, in its transaction. Returns the raw token for the cookie, or null
 *  when remembering is off for this person (the box should not have been offered). */
export async function rememberDevice(
  tx: Tx,
  { userId, context }: { userId: string; context: RequestContext },
  now: Date,
): Promise<{ token: string; expiresAt: Date; id: string } | null> {
  const policy = await rememberDevicePolicy(tx, userId);
  if (policy.days <= 0) return null;
  const token = randomToken(32);
  const expiresAt = new Date(now.getTime() + policy.days * DAY_MS);
  const device = await tx.rememberedDevice.create({
    data: {
      userId,
      tokenHash: hashToken(token),
      organizationId: policy.organizationId,
      policyDays: policy.days,
      name: deviceName(context.userAgent),
      userAgent: context.userAgent?.slice(0, 512) ?? null,
      ip: context.ip,
      country: countryOf(context.ip),
      createdAt: now,
      lastUsedAt: now,
      expiresAt,
    },
    select: { id: true },
  });
  await auditForUser(tx, userId, "device.remembered", context, { deviceId: device.id, days: policy.days });
  return { token, expiresAt, id: device.id };
}

export type ForgetReason =
  | "forgotten"
  | "forgotten_all"
  | "admin_reset"
  | "two_factor_disabled"
  | "factor_changed"
  | "password_changed"
  | "password_reset";

/** Forgets every remembered device of a person, in the caller's transaction (S28, S32: admin reset, 2FA off, factor
 *  change, password change or reset). Audited in the person's organizations when there was any. Returns the count. */
export async function forgetAllDevicesOf(
  tx: Tx,
  { userId, reason, context }: { userId: string; reason: ForgetReason; context: RequestContext },
): Promise<number> {
  const { count } = await tx.rememberedDevice.deleteMany({ where: { userId } });
  if (count > 0) await auditForUser(tx, userId, "device.forgotten", context, { reason, count });
  return count;
}

/** An organization lowered its days (issue 11 item 2): every device of its active members that is older than the new
 *  limit is forgotten (all of them at 0), and the others expire by the new limit. Returns how many were forgotten. */
export async function applyLowerRememberDays(
  tx: Tx,
  { organizationId, days }: { organizationId: string; days: number },
  now: Date,
): Promise<number> {
  const members = { user: { memberships: { some: { organizationId, status: "ACTIVE" as const } } } };
  const cutoff = new Date(now.getTime() - days * DAY_MS);
  const { count } = await tx.rememberedDevice.deleteMany({
    where: days <= 0 ? members : { ...members, createdAt: { lte: cutoff } },
  });
  if (days > 0) {
    await tx.$executeRaw`
      UPDATE "RememberedDevice" d
      SET "expiresAt" = LEAST(d."expiresAt", d."createdAt" + make_interval(days => ${days}::int)),
          "policyDays" = LEAST(d."policyDays", ${days}::int)
      FROM "Membership" m
      WHERE m."userId" = d."userId" AND m."organizationId" = ${organizationId} AND m."status" = 'ACTIVE'`;
  }
  return count;
}
