import type { Tx } from "../../db";
import { deviceName } from "../../format/user-agent";
import { countryOf, placeName } from "../../net/country";
import { networkOf } from "../../net/network";
import { type RequestContext, recordAuditEvent } from "../audit/audit-log";
import { enqueueMail, securityNoticeData } from "../outbox/outbox";
import { organizationIdsOf } from "../sign-in/challenge";
import { recordPassedSecondStep } from "./familiarity";
import { rememberDevice, touchRememberedDevice } from "./remembered-devices";
import type { SkipReason } from "./skip";

// What a completed sign-in does for issue 11, in the transaction that creates its session (lib/services/sign-in/
// complete-sign-in.ts): a skipped second step is audited with its reason (item 4) and a used remembered device
// touched; a passed second step makes its network and country familiar, remembers the device when asked, and mails
// "new sign-in" when the device or the country was new for this person (item 3).

const HISTORY = 200;

export async function recordSkippedSecondStep(
  tx: Tx,
  {
    userId,
    reason,
    detail,
    context,
  }: { userId: string; reason: SkipReason; detail: string | null; context: RequestContext },
  now: Date,
): Promise<void> {
  if (reason === "remembered-device" && detail) await touchRememberedDevice(tx, detail, context, now);
  const orgs = await organizationIdsOf(tx, userId);
  for (const organizationId of orgs.length ? orgs : [null]) {
    await recordAuditEvent(tx, {
      type: "signin.second_step_skipped",
      organizationId,
      actorId: userId,
      targetId: userId,
      context,
      metadata: {
        reason,
        ...(detail ? { detail } : {}),
        ...(detail && reason === "trusted-network" ? { label: detail } : {}),
      },
    });
  }
}

export async function afterSecondStepPassed(
  tx: Tx,
  {
    userId,
    sessionId,
    context,
    rememberThisDevice,
  }: { userId: string; sessionId: string; context: RequestContext; rememberThisDevice: boolean },
  now: Date,
): Promise<{ rememberedDevice: { token: string; expiresAt: Date } | null }> {
  const country = countryOf(context.ip);
  await recordPassedSecondStep(tx, { userId, network: networkOf(context.ip), country }, now);
  await mailIfNewDeviceOrCountry(tx, { userId, sessionId, context, country }, now);
  const device = rememberThisDevice ? await rememberDevice(tx, { userId, context }, now) : null;
  return { rememberedDevice: device ? { token: device.token, expiresAt: device.expiresAt } : null };
}

/** "New sign-in": this person had signed in before, but never from this device (as the sessions list names it) or
 *  never from this country. The very first sign-in of an account mails nothing (there is nothing to compare with). */
async function mailIfNewDeviceOrCountry(
  tx: Tx,
  {
    userId,
    sessionId,
    context,
    country,
  }: { userId: string; sessionId: string; context: RequestContext; country: string | null },
  now: Date,
): Promise<void> {
  const earlier = await tx.session.findMany({
    where: { userId, id: { not: sessionId } },
    orderBy: { createdAt: "desc" },
    take: HISTORY,
    select: { userAgent: true, country: true },
  });
  if (earlier.length === 0) return;
  const device = deviceName(context.userAgent);
  const newDevice = !earlier.some((s) => deviceName(s.userAgent) === device);
  const newCountry = country !== null && !earlier.some((s) => s.country === country);
  if (!newDevice && !newCountry) return;
  const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { name: true, email: true } });
  await enqueueMail(tx, {
    to: user.email,
    template: "new-sign-in",
    data: { ...securityNoticeData(user.name, context, now), place: placeName(country), device },
  });
}
