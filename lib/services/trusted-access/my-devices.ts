import type { Actor } from "../../auth/actor";
import { hashToken } from "../../crypto/tokens";
import { db, inTransaction, type Tx } from "../../db";
import { DomainError } from "../../errors";
import type { RequestContext } from "../audit/audit-log";
import { auditForUser } from "../two-factor/audit-for-user";
import { forgetAllDevicesOf } from "./remembered-devices";

// Profile > Security (issue 11 item 2): a person's own remembered devices, beside their sessions, each with name,
// first and last use and approximate place; "Forget" one, or all. Only the person's own devices (the queries are
// scoped by the actor's user id: another person's device id is NOT_FOUND).

export interface RememberedDeviceView {
  id: string;
  name: string;
  country: string | null;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  /** This browser holds this device's token. */
  current: boolean;
}

export async function listMyRememberedDevices(
  { actor, input }: { actor: Pick<Actor, "userId">; input: { currentToken?: string | null } },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<RememberedDeviceView[]> {
  const currentHash = input.currentToken ? hashToken(input.currentToken) : null;
  const rows = await tx.rememberedDevice.findMany({
    where: { userId: actor.userId, expiresAt: { gt: now } },
    orderBy: { lastUsedAt: "desc" },
    select: {
      id: true,
      name: true,
      country: true,
      createdAt: true,
      lastUsedAt: true,
      expiresAt: true,
      tokenHash: true,
    },
  });
  return rows.map(({ tokenHash, ...r }) => ({ ...r, current: tokenHash === currentHash }));
}

export async function forgetMyRememberedDevice(
  { actor, input, context }: { actor: Pick<Actor, "userId">; input: { deviceId: string }; context: RequestContext },
  { tx = db }: { tx?: Tx } = {},
): Promise<void> {
  await inTransaction(tx, async (t) => {
    const { count } = await t.rememberedDevice.deleteMany({ where: { id: input.deviceId, userId: actor.userId } });
    if (count !== 1) throw new DomainError("NOT_FOUND");
    await auditForUser(t, actor.userId, "device.forgotten", context, { reason: "forgotten", count: 1 });
  });
}

export async function forgetAllMyRememberedDevices(
  { actor, context }: { actor: Pick<Actor, "userId">; context: RequestContext },
  { tx = db }: { tx?: Tx } = {},
): Promise<{ count: number }> {
  return inTransaction(tx, async (t) => ({
    count: await forgetAllDevicesOf(t, { userId: actor.userId, reason: "forgotten_all", context }),
  }));
}
