import { hashPassword } from "../../crypto/password";
import { randomToken } from "../../crypto/tokens";
import type { Plan } from "../../db";
import { db, inTransaction, isUniqueViolation, type Tx } from "../../db";
import { DomainError } from "../../errors";
import { signInUrl } from "../../urls";
import { signUpSchema } from "../../validation/auth";
import { type RequestContext, recordAuditEvent } from "../audit/audit-log";
import { enqueueMail } from "../outbox/outbox";
import { createChallenge } from "../sign-in/challenge";

function slugify(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return base || "org";
}

export interface SignUpData {
  name: string;
  email: string;
  password: string;
  organizationName: string;
  plan?: Plan;
}

/**
 * Creates a user and an organization they own (one transaction, with audit rows and a welcome mail),
 * and a sign-in challenge so the browser can complete sign-in through next-auth like any other sign-in.
 */
export async function signUp(
  { input: raw, context }: { input: SignUpData; context: RequestContext },
  { tx = db }: { tx?: Tx } = {},
) {
  // The form's own rules again (S45: services check input again, whatever the form did): a crafted call cannot store a NUL, a 100 KB name or a broken character.
  const parsed = signUpSchema.safeParse(raw);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[String(issue.path[0] ?? "form")] ??= issue.message;
    throw new DomainError("VALIDATION", { fields });
  }
  const input = { ...parsed.data, plan: raw.plan };
  const passwordHash = await hashPassword(input.password);
  try {
    return await inTransaction(tx, async (t) => {
      const user = await t.user.create({ data: { email: input.email, name: input.name, passwordHash } });
      const organization = await createOrganization(t, {
        name: input.organizationName,
        plan: input.plan ?? "FREE",
        ownerId: user.id,
      });
      await recordAuditEvent(t, {
        type: "account.created",
        organizationId: organization.id,
        actorId: user.id,
        targetId: user.id,
        context,
      });
      await recordAuditEvent(t, {
        type: "organization.created",
        organizationId: organization.id,
        actorId: user.id,
        context,
        metadata: { name: organization.name },
      });
      await enqueueMail(t, {
        to: user.email,
        template: "welcome",
        data: { name: user.name, organizationName: organization.name, signInUrl: signInUrl() },
      });
      const challenge = await createChallenge(t, user.id, context);
      return {
        userId: user.id,
        organizationId: organization.id,
        challengeToken: challenge.token,
        requirement: challenge.requirement,
      };
    });
  } catch (e) {
    if (isUniqueViolation(e, "email")) throw new DomainError("EMAIL_TAKEN", { fields: { email: "EMAIL_TAKEN_FIELD" } });
    throw e;
  }
}

/**
 * An organization with a unique slug and its owner's membership. Two sign-ups with the same organization name at once
 * both find the plain slug free: the insert skips a slug another transaction holds (ON CONFLICT DO NOTHING, which waits
 * for that transaction) and the loser takes a suffixed slug, so neither sign-up fails on the unique index.
 */
async function createOrganization(tx: Tx, input: { name: string; plan: Plan; ownerId: string }) {
  const base = slugify(input.name);
  const baseTaken = await tx.organization.findUnique({ where: { slug: base }, select: { id: true } });
  for (let tries = 0; tries < 5; tries++) {
    const slug =
      tries === 0 && !baseTaken
        ? base
        : `${base}-${randomToken(4)
            .toLowerCase()
            .replace(/[^a-z0-9]/g, "x")}`;
    const [organization] = await tx.organization.createManyAndReturn({
      data: [{ name: input.name, slug, plan: input.plan }],
      skipDuplicates: true,
    });
    if (!organization) continue;
    await tx.membership.create({
      data: { organizationId: organization.id, userId: input.ownerId, role: "OWNER", type: "EMPLOYEE" },
    });
    return organization;
  }
  throw new Error(`no free slug for ${base} after 5 tries`);
}
