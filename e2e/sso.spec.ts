// SSO end to end: real Chromium, the real app, and a real OpenID Provider (`oidc-provider` on loopback, started by
// e2e/web-server.ts — see e2e/oidc-idp.ts). Nothing of next-auth is mocked: discovery, authorization code + PKCE + state,
// token exchange with the client secret and the signed ID token all happen for real.
import type { Browser, Page } from "@playwright/test";
import { createSecretBox } from "../lib/crypto/encryption";
import { generateTotpSecret } from "../lib/crypto/totp";
import { expect, test } from "./fixtures";
import { IDP_ACCOUNTS, IDP_PASSWORD, type IdpAccount, SSO_ORG } from "./oidc-idp";
import { query, screenshot, signUp, uniqueEmail } from "./support";

// The tests share the SSO organization (made once in beforeAll) and its 2FA requirement: one worker, in order (the
// suite runs fullyParallel otherwise).
test.describe.configure({ mode: "default" });

const SSO_BUTTON = "Continue with Ssotest SSO";
const SETUP_PATH = "/profile/security/two-factor/setup";

/** The organization whose IdP this is (OIDC_ORGANIZATION_SLUG): created through the product, then on a paid plan. */
async function ensureSsoOrganization(browser: Browser) {
  const [existing] = await query(`SELECT id FROM "Organization" WHERE slug = $1`, [SSO_ORG.slug]);
  if (!existing) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signUp(page, {
      name: "Olga Owner",
      email: uniqueEmail("sso-owner"),
      password: "a long enough password",
      organization: SSO_ORG.name,
    });
    await expect(page).toHaveURL(/\/dashboard$/);
    await context.close();
  }
  const rows = await query(`UPDATE "Organization" SET plan = 'PROFESSIONAL' WHERE slug = $1 RETURNING id`, [
    SSO_ORG.slug,
  ]);
  expect(rows, `organization ${SSO_ORG.slug} (OIDC_ORGANIZATION_SLUG)`).toHaveLength(1);
}

async function requireTwoFactor(on: boolean, exemptSso = true) {
  await query(
    on
      ? `UPDATE "Organization" SET "requireTwoFactor" = true, "enforcementMode" = 'NOW', "requiredSince" = now(),
           "modeSince" = now(), "exemptSso" = $2 WHERE slug = $1`
      : `UPDATE "Organization" SET "requireTwoFactor" = false, "enforcementMode" = NULL, "requiredSince" = NULL,
           "modeSince" = NULL, "exemptSso" = true WHERE slug = $1`,
    on ? [SSO_ORG.slug, exemptSso] : [SSO_ORG.slug],
  );
}

/** From Twofold's sign-in page through the IdP's login form and back. */
async function signInThroughIdp(page: Page, account: IdpAccount, callbackUrl?: string) {
  await page.goto(callbackUrl ? `/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/sign-in");
  await page.getByRole("button", { name: SSO_BUTTON }).click();
  await expect(page.getByRole("heading", { name: "Ssotest Identity" })).toBeVisible();
  expect(new URL(page.url()).hostname).toBe("127.0.0.1"); // really at the IdP
  await page.getByLabel("Work email").fill(account.email);
  await page.getByLabel("IdP password").fill(IDP_PASSWORD);
  await page.getByRole("button", { name: "Continue" }).click();
}

const sessionsOf = (email: string) =>
  query<{ authMethod: string; secondFactorAt: Date | null }>(
    `SELECT s."authMethod", s."secondFactorAt" FROM "Session" s JOIN "User" u ON u.id = s."userId"
      WHERE u.email = $1 AND s."revokedAt" IS NULL ORDER BY s."createdAt"`,
    [email],
  );

test.describe("SSO through the organization's OpenID Provider", () => {
  test.beforeAll(async ({ browser }) => {
    await ensureSsoOrganization(browser);
  });
  test.afterEach(async () => {
    await requireTwoFactor(false);
  });

  test("a new SSO user is provisioned as a member and lands on the dashboard with an 'sso' session", async ({
    page,
    context,
    browser,
  }) => {
    const who = IDP_ACCOUNTS.newcomer;
    await page.goto("/sign-in");
    await expect(page.getByRole("button", { name: SSO_BUTTON })).toBeVisible();
    await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
    await screenshot(page, "sso-sign-in");

    await signInThroughIdp(page, who);
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByRole("heading", { name: /Welcome, Sam/ })).toBeVisible();
    await expect(page.getByText(SSO_ORG.name).first()).toBeVisible();

    const [user] = await query<{ signInMethod: string; passwordHash: string | null; name: string }>(
      `SELECT "signInMethod", "passwordHash", name FROM "User" WHERE email = $1`,
      [who.email],
    );
    expect(user).toEqual({ signInMethod: "SSO", passwordHash: null, name: who.name });
    const memberships = await query(
      `SELECT m.role, m.type, m.status, o.slug FROM "Membership" m JOIN "User" u ON u.id = m."userId"
        JOIN "Organization" o ON o.id = m."organizationId" WHERE u.email = $1`,
      [who.email],
    );
    expect(memberships).toEqual([{ role: "MEMBER", type: "EMPLOYEE", status: "ACTIVE", slug: SSO_ORG.slug }]);
    expect((await sessionsOf(who.email)).map((s) => s.authMethod)).toEqual(["sso"]);
    const audit = await query(
      `SELECT a.type FROM "AuditEvent" a JOIN "User" u ON u.id = a."targetId" WHERE u.email = $1 ORDER BY a."createdAt"`,
      [who.email],
    );
    expect(audit[0]?.type).toBe("sso.user_provisioned");
    expect(audit.map((a) => a.type)).toContain("signin.succeeded");
    // The challenge became a session and its cookie is gone (S19); next-auth issued no session of its own.
    const cookies = await context.cookies();
    expect(cookies.some((c) => c.name === "twofold-challenge")).toBe(false);
    expect(cookies.filter((c) => c.name.endsWith("next-auth.session-token"))).toHaveLength(1);

    // A second sign-in (new browser) finds the same account and goes where the person was going.
    const again = await browser.newContext();
    const page2 = await again.newPage();
    await signInThroughIdp(page2, who, "/profile/security");
    await expect(page2).toHaveURL(/\/profile\/security$/);
    expect(await query(`SELECT id FROM "User" WHERE email = $1`, [who.email])).toHaveLength(1);
    expect((await sessionsOf(who.email)).map((s) => s.authMethod)).toEqual(["sso", "sso"]);
    await again.close();
  });

  test("while the organization requires 2FA, an SSO user (SSO exempt) is not asked for 2FA and reaches the dashboard", async ({
    page,
  }) => {
    const who = IDP_ACCOUNTS.exempt;
    await requireTwoFactor(true, true);
    await signInThroughIdp(page, who);
    await expect(page).toHaveURL(/\/dashboard$/);
    await page.goto("/profile/security");
    await expect(page).toHaveURL(/\/profile\/security$/);
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/dashboard$/);
    expect((await sessionsOf(who.email)).map((s) => s.authMethod)).toEqual(["sso"]);
    await screenshot(page, "sso-exempt-dashboard");
  });

  test("without the SSO exemption, the same kind of SSO user must set up 2FA (the exemption is what let them in)", async ({
    page,
  }) => {
    const who = IDP_ACCOUNTS.exempt;
    await requireTwoFactor(true, false);
    await signInThroughIdp(page, who);
    await expect(page).toHaveURL(new RegExp(`${SETUP_PATH}$`));
    await page.goto("/dashboard");
    await expect(page).toHaveURL(new RegExp(`${SETUP_PATH}$`));
  });

  test("an SSO user with personal 2FA still gets the second step (S17): session 'sso+totp'", async ({
    browser,
    totp,
  }) => {
    const who = IDP_ACCOUNTS.withTotp;
    const first = await browser.newContext();
    const firstPage = await first.newPage();
    await signInThroughIdp(firstPage, who);
    await expect(firstPage).toHaveURL(/\/dashboard$/);
    await first.close();

    // Give the account an authenticator app (encrypted with the suite's key, as the server does: lib/crypto).
    const [user] = await query<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [who.email]);
    if (!user) throw new Error("not provisioned");
    const secret = generateTotpSecret();
    const box = createSecretBox(new Map([[1, Buffer.alloc(32, 1)]]), 1);
    await query(`INSERT INTO "TotpFactor" ("userId", "secretEnc", "keyVersion") VALUES ($1, $2, 1)`, [
      user.id,
      box.encrypt(secret, { userId: user.id }),
    ]);

    const context = await browser.newContext();
    const page = await context.newPage();
    await signInThroughIdp(page, who);
    await expect(page).toHaveURL(/\/sign-in\/verify/);
    await expect(page.getByText(`Signing in as ${who.email}`)).toBeVisible();
    // Only the challenge cookie: no session yet (S16).
    const cookies = await context.cookies();
    expect(cookies.some((c) => c.name === "twofold-challenge")).toBe(true);
    expect(cookies.some((c) => c.name.endsWith("next-auth.session-token"))).toBe(false);
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/sign-in/);

    await page.goto("/sign-in/verify");
    await page.getByLabel("Authentication code").fill(await totp(secret));
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    const sessions = await sessionsOf(who.email);
    expect(sessions.map((s) => s.authMethod)).toEqual(["sso", "sso+totp"]);
    expect(sessions[1]?.secondFactorAt).not.toBeNull();
    await context.close();
  });

  test("a password account with the same email as the IdP account is refused with a readable message", async ({
    page,
    context,
  }) => {
    const who = IDP_ACCOUNTS.passwordTwin;
    const before = await sessionsOf(who.email);
    await signInThroughIdp(page, who);
    await expect(page).toHaveURL(/\/sign-in\?error=SSO_PASSWORD_ACCOUNT/);
    await expect(page.getByRole("alert").filter({ hasText: "This account signs in with a password" })).toBeVisible();
    await screenshot(page, "sso-password-account-refused");
    const [user] = await query(`SELECT "signInMethod" FROM "User" WHERE email = $1`, [who.email]);
    expect(user).toEqual({ signInMethod: "PASSWORD" });
    expect(await sessionsOf(who.email)).toHaveLength(before.length);
    expect((await context.cookies()).some((c) => c.name === "twofold-challenge")).toBe(false);
    // The password form still works for that account.
    await page.getByLabel("Email").fill(who.email);
    await page.getByLabel("Password", { exact: true }).fill("twofold-demo-2026");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
  });

  test("an email the IdP has not verified is refused, and no account is created", async ({ page }) => {
    const who = IDP_ACCOUNTS.unverified;
    await signInThroughIdp(page, who);
    await expect(page).toHaveURL(/\/sign-in\?error=SSO_EMAIL_UNVERIFIED/);
    await expect(page.getByRole("alert").filter({ hasText: "has not verified the email address" })).toBeVisible();
    expect(await query(`SELECT id FROM "User" WHERE email = $1`, [who.email])).toHaveLength(0);
  });

  test("a made-up ?error= is never shown as text", async ({ page }) => {
    await page.goto("/sign-in?error=%3Cb%3Eyou%20have%20been%20hacked%3C%2Fb%3E");
    await expect(page.getByRole("alert").filter({ hasText: "could not be completed" })).toBeVisible();
    await expect(page.getByText("you have been hacked")).toHaveCount(0);
  });
});
