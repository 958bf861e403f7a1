// SSO first step against a real PostgreSQL: just-in-time provisioning, refusals (unverified email, password account,
// not a member) and the same challenge as the password step, so personal 2FA still asks for the second step (S16, S17).
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { addMember, createOrgWithOwner, ctx, uniqueEmail } from "@/test/factories";
import { currentKeyVersion, encryptSecret } from "../../crypto/encryption";
import { hashToken } from "../../crypto/tokens";
import { generateTotpSecret, totpAt } from "../../crypto/totp";
import { db } from "../../db";
import { DomainError } from "../../errors";
import { completeSignIn } from "./complete-sign-in";
import { type SsoProfile, ssoSignIn } from "./sso-sign-in";

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof DomainError ? e.code : `unexpected: ${String(e)}`),
  );

async function ssoOrg() {
  const owner = await createOrgWithOwner({ plan: "PROFESSIONAL", name: `SSO Org ${randomUUID().slice(0, 6)}` });
  const { slug } = await db.organization.findUniqueOrThrow({ where: { id: owner.organizationId } });
  return { ...owner, slug };
}

const identity = (over: Partial<SsoProfile> = {}): SsoProfile => ({
  email: uniqueEmail("sso"),
  emailVerified: true,
  name: "Sam Single",
  subject: `sub-${randomUUID()}`,
  ...over,
});

describe("SSO first step", () => {
  it("provisions a new verified identity as an active member/employee, audited, and ends in an sso challenge", async () => {
    const org = await ssoOrg();
    const profile = identity({ email: `New.Person-${randomUUID().slice(0, 6)}@Example.TEST` });
    const email = profile.email.toLowerCase();

    const first = await ssoSignIn({ input: profile, context: ctx }, { now: new Date(), organizationSlug: org.slug });
    expect(first.provisioned).toBe(true);
    expect(first.requirement).toBe("none");

    const user = await db.user.findUniqueOrThrow({ where: { email }, omit: { passwordHash: false } });
    expect(user.signInMethod).toBe("SSO");
    expect(user.passwordHash).toBeNull();
    expect(user.name).toBe("Sam Single");
    const membership = await db.membership.findUniqueOrThrow({
      where: { organizationId_userId: { organizationId: org.organizationId, userId: user.id } },
    });
    expect(membership).toMatchObject({ role: "MEMBER", type: "EMPLOYEE", status: "ACTIVE" });
    const audit = await db.auditEvent.findMany({
      where: { organizationId: org.organizationId, type: "sso.user_provisioned", targetId: user.id },
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]?.metadata).toMatchObject({ email, subject: profile.subject });

    // No session before the challenge is consumed (S16); the challenge is stored hashed and marked as SSO.
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    const challenge = await db.signInChallenge.findUniqueOrThrow({ where: { tokenHash: hashToken(first.token) } });
    expect(challenge.firstFactor).toBe("sso");
    const done = await completeSignIn({ input: { challengeToken: first.token }, context: ctx });
    expect(done.authMethod).toBe("sso");
    const session = await db.session.findUniqueOrThrow({ where: { id: done.sessionId } });
    expect(session.authMethod).toBe("sso");

    // The next sign-in finds the same account: nothing is provisioned twice.
    const again = await ssoSignIn(
      { input: { ...profile, email }, context: ctx },
      { now: new Date(), organizationSlug: org.slug },
    );
    expect(again.provisioned).toBe(false);
    expect(again.userId).toBe(user.id);
    expect(await db.user.count({ where: { email } })).toBe(1);
    expect(await db.membership.count({ where: { userId: user.id } })).toBe(1);
  });

  it("still asks an SSO user with personal 2FA for the second step (S17): sso+totp", async () => {
    const org = await ssoOrg();
    const profile = identity();
    const { token: firstToken, userId } = await ssoSignIn(
      { input: profile, context: ctx },
      { now: new Date(), organizationSlug: org.slug },
    );
    await completeSignIn({ input: { challengeToken: firstToken }, context: ctx });
    const secret = generateTotpSecret();
    await db.totpFactor.create({
      data: { userId, secretEnc: encryptSecret(secret, { userId }), keyVersion: currentKeyVersion() },
    });

    const { token, requirement } = await ssoSignIn(
      { input: profile, context: ctx },
      { now: new Date(), organizationSlug: org.slug },
    );
    expect(requirement).toBe("second-factor");
    const sessionsBefore = await db.session.count({ where: { userId } });
    // Without the code there is no session.
    expect(await codeOf(completeSignIn({ input: { challengeToken: token }, context: ctx }))).toBe("UNAUTHENTICATED");
    expect(await db.session.count({ where: { userId } })).toBe(sessionsBefore);

    const done = await completeSignIn({
      input: { challengeToken: token, secondFactor: { method: "totp", code: totpAt(secret, { time: Date.now() }) } },
      context: ctx,
    });
    expect(done.authMethod).toBe("sso+totp");
    expect((await db.session.findUniqueOrThrow({ where: { id: done.sessionId } })).secondFactorAt).not.toBeNull();
  });

  it("refuses an unverified email: nothing created, refusal audited", async () => {
    const org = await ssoOrg();
    const profile = identity({ emailVerified: false });
    expect(
      await codeOf(ssoSignIn({ input: profile, context: ctx }, { now: new Date(), organizationSlug: org.slug })),
    ).toBe("SSO_EMAIL_UNVERIFIED");
    expect(await db.user.count({ where: { email: profile.email } })).toBe(0);
    const audit = await db.auditEvent.findMany({
      where: { organizationId: org.organizationId, type: "sso.signin_refused" },
    });
    expect(audit.map((a) => a.metadata)).toEqual([
      expect.objectContaining({ reason: "SSO_EMAIL_UNVERIFIED", email: profile.email }),
    ]);
  });

  it("refuses a password account with the same email (no account takeover through the IdP)", async () => {
    const org = await ssoOrg();
    const member = await addMember(org.actor, { name: "Pat Password" });
    const challengesBefore = await db.signInChallenge.count({ where: { userId: member.userId } });
    const err = await ssoSignIn(
      { input: identity({ email: member.email }), context: ctx },
      { now: new Date(), organizationSlug: org.slug },
    ).catch((e) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err.code).toBe("SSO_PASSWORD_ACCOUNT");
    expect(err.message).toMatch(/^This account signs in with a password/);
    expect(await db.signInChallenge.count({ where: { userId: member.userId } })).toBe(challengesBefore);
    const user = await db.user.findUniqueOrThrow({ where: { id: member.userId } });
    expect(user.signInMethod).toBe("PASSWORD");
    expect(
      await db.auditEvent.count({
        where: { organizationId: org.organizationId, type: "sso.signin_refused", targetId: member.userId },
      }),
    ).toBe(1);
  });

  it("refuses an SSO user who is no longer an active member of the organization", async () => {
    const org = await ssoOrg();
    const profile = identity();
    const { userId } = await ssoSignIn(
      { input: profile, context: ctx },
      { now: new Date(), organizationSlug: org.slug },
    );
    await db.membership.update({
      where: { organizationId_userId: { organizationId: org.organizationId, userId } },
      data: { status: "REMOVED" },
    });
    const challengesBefore = await db.signInChallenge.count({ where: { userId } });
    expect(
      await codeOf(ssoSignIn({ input: profile, context: ctx }, { now: new Date(), organizationSlug: org.slug })),
    ).toBe("SSO_NOT_MEMBER");
    expect(await db.signInChallenge.count({ where: { userId } })).toBe(challengesBefore);
    expect(await db.membership.count({ where: { userId, status: "ACTIVE" } })).toBe(0);
  });

  it("refuses when the configured organization does not exist, or SSO is not configured", async () => {
    expect(
      await codeOf(
        ssoSignIn({ input: identity(), context: ctx }, { now: new Date(), organizationSlug: "no-such-org-here" }),
      ),
    ).toBe("SSO_NOT_CONFIGURED");
    expect(
      await codeOf(ssoSignIn({ input: identity(), context: ctx }, { now: new Date(), organizationSlug: undefined })),
    ).toBe("SSO_NOT_CONFIGURED");
  });

  it("provisions one account when the same new person signs in twice at once", async () => {
    const org = await ssoOrg();
    const profile = identity();
    const results = await Promise.all([
      ssoSignIn({ input: profile, context: ctx }, { now: new Date(), organizationSlug: org.slug }),
      ssoSignIn({ input: profile, context: ctx }, { now: new Date(), organizationSlug: org.slug }),
    ]);
    expect(results[0].userId).toBe(results[1].userId);
    expect(results.filter((r) => r.provisioned)).toHaveLength(1);
    expect(await db.user.count({ where: { email: profile.email } })).toBe(1);
    expect(await db.membership.count({ where: { userId: results[0].userId } })).toBe(1);
  });
});
