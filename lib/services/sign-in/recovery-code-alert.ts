import type { Tx } from "../../db";
import { appUrl } from "../../urls";
import type { RequestContext } from "../audit/audit-log";
import { enqueueMailBatch, type MailMessage } from "../outbox/outbox";

// B4 (issue 10, item 8): when a member signs in with a recovery code, the owners and administrators of each of their
// organizations that keeps "alert administrators when a member uses a recovery code" on (the default) are emailed, in
// the sign-in's own transaction. The member is mailed separately by verifySecondFactor ("recovery-code-used").

/** Queues one alert per administrator of each of `organizationIds` that has the alert on; returns how many. */
export async function alertAdminsOfRecoveryCodeSignIn(
  tx: Tx,
  input: { userId: string; organizationIds: string[]; remaining: number; context: RequestContext },
  now: Date,
): Promise<number> {
  if (input.organizationIds.length === 0) return 0;
  const [member, organizations] = await Promise.all([
    tx.user.findUniqueOrThrow({ where: { id: input.userId }, select: { name: true, email: true } }),
    tx.organization.findMany({
      where: { id: { in: input.organizationIds }, alertAdminsOnRecoveryCode: true },
      select: {
        name: true,
        memberships: {
          where: { status: "ACTIVE", role: { in: ["OWNER", "ADMIN"] }, userId: { not: input.userId } },
          select: { user: { select: { name: true, email: true } } },
        },
      },
    }),
  ]);
  const messages: MailMessage[] = organizations.flatMap((organization) =>
    organization.memberships.map(({ user: admin }) => ({
      to: admin.email,
      template: "recovery-code-admin-alert" as const,
      data: {
        name: admin.name,
        memberName: member.name,
        memberEmail: member.email,
        organizationName: organization.name,
        remaining: input.remaining,
        ip: input.context.ip ?? undefined,
        userAgent: input.context.userAgent ?? undefined,
        at: now.toISOString(),
        usersUrl: appUrl("/settings/users"),
        settingsUrl: appUrl("/settings/security"),
      },
    })),
  );
  return (await enqueueMailBatch(tx, messages)).count;
}
