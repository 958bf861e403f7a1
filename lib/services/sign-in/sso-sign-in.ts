import { db, isUniqueViolation, type Tx } from "../../db";
import { env } from "../../env";
import { DomainError } from "../../errors";
import { toPlainText } from "../../validation/text";
import { type RequestContext, recordAuditEvent } from "../audit/audit-log";
import { type ChallengeRequirement, createChallenge } from "./challenge";

// SSO is another first step of the same sign-in (docs/decisions/0007-sso.md). The organization's OpenID Provider
// authenticated the person (next-auth checked the ID token: signature, issuer, audience, state and PKCE); this
// service decides whether that identity may enter Twofold and, if so, creates the same server-side challenge as the
// password step. Personal 2FA therefore still asks for the second step (S16: no session before every step; S17: SSO
// does not skip personal 2FA), and no session exists before ./complete-sign-in.ts consumes the challenge.

/** What the OpenID Provider asserted about the person (ID token claims). */
export interface SsoProfile {
  email: string;
  /** The `email_verified` claim: only a verified address may match or create an account. */
  emailVerified: boolean;
  name: string | null | undefined;
  /** The `sub` claim, recorded in the audit row of a provisioned account. */
  subject: string;
}

type SsoRefusal = "SSO_EMAIL_UNVERIFIED" | "SSO_PASSWORD_ACCOUNT" | "SSO_NOT_MEMBER";

type Outcome =
  | { ok: true; token: string; requirement: ChallengeRequirement; userId: string; provisioned: boolean }
  | { ok: false; code: SsoRefusal };

function displayName(profile: SsoProfile, email: string): string {
  // The provider's words, made storable (S45): control characters and broken surrogate halves are dropped.
  const name = profile.name ? toPlainText(profile.name).trim() : "";
  return (name || email.split("@")[0] || email).slice(0, 100);
}

async function attempt(
  t: Tx,
  profile: SsoProfile,
  organization: { id: string },
  context: RequestContext,
  now: Date,
): Promise<Outcome> {
  const email = profile.email.trim().toLowerCase();
  const existing = await t.user.findUnique({ where: { email }, select: { id: true, signInMethod: true } });

  const refuse = async (code: SsoRefusal): Promise<Outcome> => {
    // Written in the transaction that commits (the caller throws only after it): refusals stay audited.
    await recordAuditEvent(t, {
      type: "sso.signin_refused",
      organizationId: organization.id,
      targetId: existing?.id ?? null,
      context,
      metadata: { reason: code, email, subject: profile.subject },
    });
    return { ok: false, code };
  };

  if (!profile.emailVerified) return refuse("SSO_EMAIL_UNVERIFIED");

  let userId: string;
  let provisioned = false;
  if (!existing) {
    // Just-in-time provisioning: the IdP is the organization's own, so a verified identity there is a teammate.
    const user = await t.user.create({
      data: { email, name: displayName(profile, email), passwordHash: null, signInMethod: "SSO" },
      select: { id: true },
    });
    await t.membership.create({
      data: { organizationId: organization.id, userId: user.id, role: "MEMBER", type: "EMPLOYEE", status: "ACTIVE" },
    });
    await recordAuditEvent(t, {
      type: "sso.user_provisioned",
      organizationId: organization.id,
      actorId: user.id,
      targetId: user.id,
      context,
      metadata: { email, subject: profile.subject, role: "MEMBER", type: "EMPLOYEE" },
    });
    userId = user.id;
    provisioned = true;
  } else {
    // A password account is never taken over by whoever controls the same address at the IdP.
    if (existing.signInMethod !== "SSO") return refuse("SSO_PASSWORD_ACCOUNT");
    const membership = await t.membership.findUnique({
      where: { organizationId_userId: { organizationId: organization.id, userId: existing.id } },
      select: { status: true },
    });
    // Removed from the organization (or never in it): the IdP account alone does not let them back in.
    if (membership?.status !== "ACTIVE") return refuse("SSO_NOT_MEMBER");
    userId = existing.id;
  }

  const { token, requirement } = await createChallenge(t, userId, context, now, "sso");
  return { ok: true, token, requirement, userId, provisioned };
}

/**
 * The SSO first step: matches (or provisions) the account for a verified identity of the organization's OpenID
 * Provider and creates the pending sign-in. Returns the raw challenge token for the HttpOnly cookie and whether a
 * second factor is still required. Refusals are DomainErrors (SSO_*), audited as `sso.signin_refused`.
 */
export async function ssoSignIn(
  { input: profile, context }: { input: SsoProfile; context: RequestContext },
  {
    now = new Date(),
    organizationSlug = env.oidc?.organizationSlug,
  }: { now?: Date /** OIDC_ORGANIZATION_SLUG unless a test names another. */; organizationSlug?: string } = {},
): Promise<{ token: string; requirement: ChallengeRequirement; userId: string; provisioned: boolean }> {
  if (!organizationSlug || !profile.email?.includes("@") || !profile.subject) {
    throw new DomainError(organizationSlug ? "SSO_EMAIL_UNVERIFIED" : "SSO_NOT_CONFIGURED");
  }
  const organization = await db.organization.findUnique({ where: { slug: organizationSlug }, select: { id: true } });
  if (!organization) throw new DomainError("SSO_NOT_CONFIGURED");

  // Two first sign-ins of the same new person at once: the loser of the unique email retries and finds the account.
  for (let tries = 0; ; tries++) {
    try {
      const outcome = await db.$transaction((t) => attempt(t, profile, organization, context, now));
      if (!outcome.ok) throw new DomainError(outcome.code);
      return {
        token: outcome.token,
        requirement: outcome.requirement,
        userId: outcome.userId,
        provisioned: outcome.provisioned,
      };
    } catch (e) {
      if (tries === 0 && isUniqueViolation(e)) continue;
      throw e;
    }
  }
}
