import type { Tx } from "../../db";
import type { OrgTwoFactorData } from "../../mail/templates";
import { twoFactorSetupUrl } from "../../urls";
import type { MailMessage } from "../outbox/outbox";
import { nonCompliantMembers, type PolicyRow } from "./policy";

/** The mails of an announcement: one per active member, built from one query. */
export async function announcement(
  tx: Tx,
  org: Pick<PolicyRow, "id" | "name" | "exemptSso" | "allowedMethods">,
  base: Omit<OrgTwoFactorData, "name" | "organizationName" | "kind">,
  pick: (compliant: boolean) => OrgTwoFactorData["kind"] | null,
  now: Date,
): Promise<{ messages: MailMessage[]; without: number }> {
  const [members, without] = await Promise.all([
    // One JOIN: a Prisma `select: { user: … }` loads the users with a second query that binds every membership's
    // user id (100,000 bind parameters at 100k members).
    tx.$queryRaw<{ id: string; name: string; email: string }[]>`
      SELECT m."id", u."name", u."email" FROM "Membership" m JOIN "User" u ON u."id" = m."userId"
      WHERE m."organizationId" = ${org.id} AND m."status" = 'ACTIVE'`.then((rows) =>
      rows.map((r) => ({ id: r.id, user: { name: r.name, email: r.email } })),
    ),
    tx.membership.findMany({ where: nonCompliantMembers(org, now), select: { id: true } }),
  ]);
  const noncompliant = new Set(without.map((m) => m.id));
  const messages: MailMessage[] = [];
  for (const m of members) {
    const kind = pick(!noncompliant.has(m.id));
    if (!kind) continue;
    const needsSetup = kind === "enrol" || kind === "changed" || kind === "reminder";
    messages.push({
      to: m.user.email,
      template: "org-two-factor",
      data: {
        ...base,
        kind,
        name: m.user.name,
        organizationName: org.name,
        ...(needsSetup ? { setupUrl: twoFactorSetupUrl() } : {}),
      },
    });
  }
  return { messages, without: noncompliant.size };
}

/** The SSO members who no longer comply now that SSO does not exempt them: one "set up 2FA" mail each. */
export async function ssoExemptionRemovedMails(
  tx: Tx,
  org: Pick<PolicyRow, "id" | "name" | "exemptSso" | "allowedMethods">,
  base: Omit<OrgTwoFactorData, "name" | "organizationName" | "kind">,
  now: Date,
): Promise<MailMessage[]> {
  const where = nonCompliantMembers(org, now);
  const members = await tx.membership.findMany({
    where: { ...where, user: { ...(where.user as object), signInMethod: "SSO" } },
    select: { user: { select: { name: true, email: true } } },
  });
  return members.map((m) => ({
    to: m.user.email,
    template: "org-two-factor" as const,
    data: {
      ...base,
      kind: "sso-exemption-removed" as const,
      name: m.user.name,
      organizationName: org.name,
      setupUrl: twoFactorSetupUrl(),
    },
  }));
}
