// Settings > Organization security (issue 4): the owner requires 2FA for everyone — the plan gate, the lockout
// guardrail, the impact preview checked against the people created here, the three rollout modes as the members live
// them (signed out now → forced setup with an emailed code; grace countdown → gate at the deadline), the stale-form
// refusal, and the 403 for members. Each test has its own organization.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import type { Browser, BrowserContext, Locator, Page } from "@playwright/test";
import { errorMessages } from "../lib/errors";
import { expect, type Plan, test } from "./fixtures";
import { seedOrganization } from "./seed-org";
import { hydrated, openDialogWith, query, screenshot, signIn, signUp, uniqueEmail } from "./support";

const PASSWORD = "a long enough password";
const SETUP = /\/profile\/security\/two-factor\/setup$/;

interface Owner {
  context: BrowserContext;
  page: Page;
  email: string;
  organization: string;
}

interface Teammate {
  context: BrowserContext;
  page: Page;
  email: string;
  name: string;
  password: string;
}

/** A new organization (sign-up makes it FREE) and its owner, signed in. */
async function signUpOwner(browser: Browser, organization: string, ownerName = "Ana Pereira"): Promise<Owner> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const email = uniqueEmail("sec-owner");
  await signUp(page, { name: ownerName, email, password: PASSWORD, organization });
  await expect(page).toHaveURL(/\/dashboard$/);
  return { context, page, email, organization };
}

async function setPlan(ownerEmail: string, plan: Plan) {
  await query(
    `UPDATE "Organization" SET plan = $2::"Plan"
     WHERE id = (SELECT "organizationId" FROM "Membership" m JOIN "User" u ON u.id = m."userId"
                 WHERE u.email = $1 AND m.role = 'OWNER')`,
    [ownerEmail, plan],
  );
}

type Who = { name: string; role?: "MEMBER" | "ADMIN"; type?: "EMPLOYEE" | "CLIENT" | "CONTRACTOR" };

/** A new organization on `plan` with these teammates, made through the services as the `org` fixture makes its own
 *  (sign-up, invitations accepted: the UI of both is tested in auth.spec.ts and invitations.spec.ts), and everyone
 *  signed in through the sign-in page, each in their own browser. */
async function newOrganization(
  browser: Browser,
  organization: string,
  opts: { plan: Plan; ownerName?: string; teammates?: Who[] },
): Promise<{ owner: Owner; teammates: Teammate[] }> {
  const person = (name: string, tag: string) => ({
    name,
    email: uniqueEmail(tag),
    password: `${name.toLowerCase()}'s long password`,
  });
  const owner = { ...person(opts.ownerName ?? "Ana Pereira", "sec-owner"), password: PASSWORD };
  const teammates = (opts.teammates ?? []).map((who) => ({
    ...person(who.name, who.name.split(" ")[0]?.toLowerCase() ?? "teammate"),
    role: who.role ?? "MEMBER",
    type: who.type ?? "EMPLOYEE",
  }));
  await seedOrganization({ name: organization, plan: opts.plan, owner, teammates });
  const signedIn = async (who: { email: string; password: string }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, who.email, who.password);
    await expect(page).toHaveURL(/\/dashboard$/, { timeout: 30_000 });
    return { context, page };
  };
  return {
    owner: { ...(await signedIn(owner)), email: owner.email, organization },
    teammates: await Promise.all(teammates.map(async (t) => ({ ...(await signedIn(t)), ...t }))),
  };
}

/** Opens the "turn on" dialog from the settings page (already open). */
async function openTurnOn(page: Page): Promise<Locator> {
  // Clicked before hydration (a loaded machine), the button opens nothing.
  return openDialogWith(
    page.getByRole("button", { name: "Review impact and turn on" }),
    page.getByRole("dialog", { name: "Require two-factor authentication?" }),
  );
}

async function policyRow(ownerEmail: string) {
  const [row] = await query<{
    requireTwoFactor: boolean;
    enforcementMode: string | null;
    graceDays: number | null;
    graceDeadline: Date | null;
    exemptSso: boolean;
    policyVersion: number;
  }>(
    `SELECT o."requireTwoFactor", o."enforcementMode", o."graceDays", o."graceDeadline", o."exemptSso", o."policyVersion"
     FROM "Organization" o JOIN "Membership" m ON m."organizationId" = o.id JOIN "User" u ON u.id = m."userId"
     WHERE u.email = $1 AND m.role = 'OWNER'`,
    [ownerEmail],
  );
  if (!row) throw new Error(`no organization owned by ${ownerEmail}`);
  return row;
}

/** What the user sees with a dialog open (the viewport: a full-page capture would stitch the modal's backdrop). */
const viewportShot = (page: Page, name: string) => screenshot(page, name, { fullPage: false });

const shortDay = (d: Date) =>
  new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(d);

test("Free plan: the requirement is shown locked with an upgrade message; Professional unlocks it", async ({
  browser,
}) => {
  const owner = await signUpOwner(browser, "Free Plan Co");
  const [org] = await query<{ plan: string }>(
    `SELECT o.plan FROM "Organization" o JOIN "Membership" m ON m."organizationId" = o.id
     JOIN "User" u ON u.id = m."userId" WHERE u.email = $1`,
    [owner.email],
  );
  expect(org?.plan).toBe("FREE"); // sign-up creates Free organizations

  const { page } = owner;
  await page.goto("/settings/security");
  await expect(page.getByRole("heading", { name: "Organization security", level: 1 })).toBeVisible();
  await expect(page.getByText("Available on the Professional and Enterprise plans")).toBeVisible();
  const toggle = page.getByRole("switch", { name: "Require two-factor authentication" });
  await expect(toggle).toBeDisabled();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  const upgrade = page.getByRole("link", { name: "Upgrade", exact: true });
  await expect(upgrade).toHaveAttribute("href", "/dashboard#upgrade");
  await expect(page.getByRole("button", { name: "Review impact and turn on" })).toHaveCount(0);
  await expect(page.locator("[data-testid=impact-sentence]:visible")).toHaveText("1 of 1 member has not set up 2FA");
  await screenshot(page, "org-security-free-plan");
  // Issue 15: "Upgrade" leads to the dashboard's upgrade request.
  await upgrade.click();
  await expect(page).toHaveURL(/\/dashboard#upgrade$/);
  const card = page.getByTestId("upgrade-card");
  await expect(card).toBeVisible();
  await expect(card).toBeInViewport();
  await expect(card.getByRole("button", { name: "Request an upgrade" })).toBeVisible();
  await screenshot(page, "org-security-upgrade-to-dashboard");
  await page.goto("/settings/security");

  await setPlan(owner.email, "PROFESSIONAL");
  await page.reload();
  await expect(page.getByText("Available on the Professional and Enterprise plans")).toHaveCount(0);
  await expect(page.getByRole("switch", { name: "Require two-factor authentication" })).toBeEnabled();
  await expect(page.getByRole("button", { name: "Review impact and turn on" })).toBeVisible();

  // A larger organization, written straight to the database: 60 members without 2FA and 5 who sign in with SSO
  // (exempt by default). The preview lists the first 50 and says how many more there are.
  const tag = randomUUID().slice(0, 8);
  await query(
    `WITH org AS (SELECT m."organizationId" AS id FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = $1),
     added AS (
       INSERT INTO "User" (id, email, name, "signInMethod", "updatedAt")
       SELECT 'bulk-' || $2 || '-' || g, 'bulk-' || $2 || '-' || g || '@example.test',
              'Bulk Member ' || lpad(g::text, 2, '0'),
              (CASE WHEN g > 60 THEN 'SSO' ELSE 'PASSWORD' END)::"SignInMethod", now()
       FROM generate_series(1, 65) g RETURNING id)
     INSERT INTO "Membership" (id, "organizationId", "userId", "updatedAt")
     SELECT 'bulk-m-' || added.id, org.id, added.id, now() FROM added, org`,
    [owner.email, tag],
  );
  await page.reload();
  await expect(page.locator("[data-testid=impact-sentence]:visible")).toHaveText(
    "61 of 66 members have not set up 2FA",
  );
  const dialog = await openTurnOn(page);
  await expect(dialog.getByTestId("impact-sentence")).toHaveText("61 of 66 members have not set up 2FA");
  await expect(dialog.getByRole("table", { name: "Members who have not set up 2FA" }).getByRole("row")).toHaveCount(51);
  await expect(dialog.getByText("and 11 more.")).toBeVisible();
  await expect(dialog.getByText("5 members sign in through your identity provider (SSO)")).toBeVisible();
  await dialog.getByRole("checkbox", { name: "Exempt SSO users" }).uncheck();
  await expect(dialog.getByText("The numbers above leave out SSO users without 2FA.")).toBeVisible();
  // Still no 2FA of their own: the confirmation stays disabled.
  await expect(dialog.getByRole("button", { name: /^Require 2FA/ })).toBeDisabled();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("button", { name: "Review impact and turn on" })).toBeFocused();
  await owner.context.close();
});

test("sign out now: impact preview, guardrail, the teammate is signed out and must set up 2FA with an email code", async ({
  browser,
  mailbox,
  withTwoFactor,
  totp,
  axe,
}) => {
  test.setTimeout(240_000);
  const {
    owner,
    teammates: [tom, cara],
  } = await newOrganization(browser, "Rollout Co", {
    plan: "PROFESSIONAL",
    teammates: [
      { name: "Tom Li", type: "EMPLOYEE" },
      { name: "Cara Client", type: "CLIENT" },
    ],
  });
  if (!tom || !cara) throw new Error("two teammates");
  const { page } = owner;

  // Lockout guardrail: the owner has no 2FA yet.
  await page.goto("/settings/security");
  await expect(
    page.getByRole("alert").filter({ hasText: "Set up two-factor authentication for yourself first" }),
  ).toBeVisible();
  await expect(page.locator("[data-testid=impact-sentence]:visible")).toHaveText("3 of 3 members have not set up 2FA");
  let dialog = await openTurnOn(page);
  await expect(dialog.getByText("Set up two-factor authentication for yourself first")).toBeVisible();
  await expect(dialog.getByRole("link", { name: "Set it up in Profile › Security" })).toHaveAttribute(
    "href",
    "/profile/security",
  );
  await expect(dialog.getByRole("button", { name: /^Require 2FA/ })).toBeDisabled();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  expect((await policyRow(owner.email)).requireTwoFactor).toBe(false);

  await withTwoFactor({ email: owner.email, password: PASSWORD }, { page });
  await page.goto("/settings/security");
  await expect(page.getByText("Set up two-factor authentication for yourself first")).toHaveCount(0);
  await expect(page.locator("[data-testid=impact-sentence]:visible")).toHaveText("2 of 3 members have not set up 2FA");
  const listed = page.getByRole("table", { name: "Members who have not set up 2FA" });
  await expect(listed.getByRole("row")).toHaveCount(3); // header + Tom + Cara
  await screenshot(page, "org-security-off");

  dialog = await openTurnOn(page);
  await expect(dialog.getByTestId("impact-sentence")).toHaveText("2 of 3 members have not set up 2FA");
  const people = await query<{ name: string; lastSignInAt: Date | null }>(
    `SELECT name, "lastSignInAt" FROM "User" WHERE email = ANY($1) ORDER BY name`,
    [[tom.email, cara.email]],
  );
  const rows = dialog.getByRole("table", { name: "Members who have not set up 2FA" }).getByRole("row");
  await expect(rows).toHaveCount(3);
  for (const [i, p] of people.entries()) {
    const cells = rows.nth(i + 1).getByRole("cell");
    await expect(cells.nth(0)).toContainText(p.name);
    await expect(cells.nth(1)).toHaveText("Member");
    await expect(cells.nth(2)).toHaveText(p.name === "Cara Client" ? "Client" : "Employee");
    await expect(cells.nth(3)).toHaveText(p.lastSignInAt ? shortDay(p.lastSignInAt) : "Never");
  }
  await expect(dialog.getByRole("checkbox", { name: "Exempt SSO users" })).toBeChecked();
  await expect(dialog.getByRole("checkbox", { name: "Authenticator app" })).toBeChecked();
  await expect(dialog.getByRole("checkbox", { name: "SMS (text message)" })).not.toBeChecked();

  await dialog.getByRole("radio", { name: "Sign out members without 2FA now" }).check();
  await expect(dialog.getByTestId("consequence")).toContainText(
    "These 2 members will be signed out of every session as soon as you confirm.",
  );
  await viewportShot(page, "org-security-impact-dialog");
  await dialog.getByTestId("consequence").scrollIntoViewIfNeeded();
  await viewportShot(page, "org-security-impact-dialog-mode");
  await axe(page, { within: "dialog[open]" });
  // B6: nobody else among owners and administrators has 2FA: the owner must confirm, or the server refuses.
  const sole = dialog.getByRole("checkbox", { name: /I understand that nobody else can reset my 2FA/ });
  await expect(dialog.getByText("You are the only owner or administrator with 2FA")).toBeVisible();
  await dialog.getByRole("button", { name: "Require 2FA and sign them out" }).click();
  await expect(
    dialog.getByText(/Tick this box to confirm that you accept being the only one who can reset 2FA/),
  ).toBeVisible();
  expect((await policyRow(owner.email)).requireTwoFactor).toBe(false);
  await dialog.getByTestId("sole-admin").scrollIntoViewIfNeeded();
  await viewportShot(page, "org-security-sole-admin-guardrail");
  await sole.check();
  await dialog.getByRole("button", { name: "Require 2FA and sign them out" }).click();
  dialog = page.getByRole("dialog", { name: "Two-factor authentication is now required" });
  await expect(dialog.getByText("2 sessions signed out, 3 emails queued.")).toBeVisible();
  await viewportShot(page, "org-security-turned-on");
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(page.getByRole("switch", { name: "Require two-factor authentication" })).toHaveAttribute(
    "aria-checked",
    "true",
  );
  await expect(page.getByTestId("policy-state")).toContainText("Sign out members without 2FA now");
  await expect(page.getByTestId("policy-state")).toContainText("by you");
  await screenshot(page, "org-security-on");

  // One announcement per member: an enrolment invitation for those without 2FA, a notice for the others.
  expect((await mailbox.latest(owner.email, "org-two-factor")).payload.kind).toBe("required");
  for (const t of [tom, cara]) {
    const mail = await mailbox.latest(t.email, "org-two-factor");
    expect(mail.payload.kind).toBe("enrol");
    expect(String(mail.payload.setupUrl)).toMatch(SETUP);
  }
  const [audit] = await query<{ metadata: Record<string, unknown> }>(
    `SELECT metadata FROM "AuditEvent" WHERE type = 'policy.2fa_required'
     AND "actorId" = (SELECT id FROM "User" WHERE email = $1)`,
    [owner.email],
  );
  expect(audit?.metadata).toMatchObject({ mode: "NOW", sessionsRevoked: 2, mailsQueued: 3, membersWithout2fa: 2 });

  // Tom's session is gone.
  await tom.page.goto("/dashboard");
  await expect(tom.page).toHaveURL(/\/sign-in/);

  // At sign-in he lands on setup, and nothing else opens; the restricted shell has no navigation.
  await signIn(tom.page, tom.email, tom.password);
  await expect(tom.page).toHaveURL(SETUP);
  for (const path of ["/settings/users", "/profile/security", "/dashboard", "/settings/owner"]) {
    await tom.page.goto(path);
    await expect(tom.page, path).toHaveURL(SETUP);
  }
  await expect(tom.page.getByRole("navigation", { name: "Console" })).toHaveCount(0);
  await expect(tom.page.getByText("Rollout Co requires two-factor authentication")).toBeVisible();
  await screenshot(tom.page, "org-security-forced-setup");

  // Setup: password, a code from his email (the attacker-enrols-first guard), a code from the app.
  await tom.page.getByRole("button", { name: "Show QR code" }).click();
  const key = ((await tom.page.getByTestId("manual-key").textContent()) ?? "").replaceAll(" ", "");
  await tom.page.getByLabel("Current password").fill(tom.password);
  await tom.page.getByRole("button", { name: "Email me a code" }).click();
  await expect(tom.page.getByText(`We sent a code to ${tom.email}.`)).toBeVisible();
  const emailed = await mailbox.latest(tom.email, "email-code");
  await tom.page.getByLabel("Code from your email").fill(String(emailed.payload.code));
  await tom.page.getByLabel("6-digit code from the app").fill(await totp(key));
  await tom.page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
  await expect(tom.page.getByRole("heading", { name: "Two-factor authentication is on" })).toBeVisible();
  await tom.page.getByRole("link", { name: "I have saved my codes: continue to the workspace" }).click();
  await expect(tom.page).toHaveURL(/\/dashboard$/);
  await expect(tom.page.getByRole("heading", { name: "Welcome, Tom" })).toBeVisible();
  await expect(tom.page.getByRole("navigation", { name: "Console" })).toBeVisible();

  // He cannot turn it off while the organization requires it; the message names who can help.
  // The page says so before asking for a code (the service refuses as well: org-policy.int.test.ts).
  await tom.page.goto("/profile/security/two-factor/disable");
  await expect(tom.page.getByText(errorMessages.POLICY_REQUIRES_TWO_FACTOR, { exact: false })).toBeVisible();
  await expect(tom.page.getByLabel("6-digit code from your app")).toHaveCount(0);
  await expect(
    tom.page.getByText(`ask an administrator of Rollout Co — Ana Pereira (${owner.email}) — to reset it`, {
      exact: false,
    }),
  ).toBeVisible();
  await screenshot(tom.page, "org-security-cannot-disable");
  const [factor] = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "TotpFactor" WHERE "userId" = (SELECT id FROM "User" WHERE email = $1)`,
    [tom.email],
  );
  expect(factor?.n).toBe(1);

  // The owner's page now counts one member without 2FA.
  await page.reload();
  await expect(page.locator("[data-testid=impact-sentence]:visible")).toHaveText("1 of 3 members has not set up 2FA");
  await Promise.all([owner.context.close(), tom.context.close(), cara.context.close()]);
});

test("grace period: a countdown banner on every page, then the gate once the deadline has passed", async ({
  browser,
  mailbox,
  withTwoFactor,
}) => {
  test.setTimeout(180_000);
  const {
    owner,
    teammates: [tom],
  } = await newOrganization(browser, "Grace Co", {
    plan: "ENTERPRISE",
    ownerName: "Grace Owner",
    teammates: [{ name: "Tom Li", type: "CONTRACTOR" }],
  });
  if (!tom) throw new Error("a teammate");
  await withTwoFactor({ email: owner.email, password: PASSWORD }, { page: owner.page });
  const { page } = owner;
  await page.goto("/settings/security");
  const dialog = await openTurnOn(page);
  await dialog.getByRole("radio", { name: /^Grace period of/ }).check();
  const days = dialog.getByLabel("Grace period in days (1–30)");
  await days.fill("45");
  await dialog.getByRole("button", { name: "Require 2FA" }).click();
  await expect(dialog.getByText("Choose a grace period of 1 to 30 days.")).toBeVisible();
  await days.fill("7");
  await expect(dialog.getByRole("radio", { name: "Grace period of 7 days" })).toBeChecked();
  await expect(dialog.getByTestId("consequence")).toContainText("The member listed above can keep working for 7 days");
  // B6: a deadline while the owner is the only one with 2FA: confirmed explicitly.
  await dialog.getByRole("checkbox", { name: /I understand that nobody else can reset my 2FA/ }).check();
  await dialog.getByRole("button", { name: "Require 2FA" }).click();
  await expect(
    page
      .getByRole("dialog", { name: "Two-factor authentication is now required" })
      .getByText("0 sessions signed out, 2 emails queued."),
  ).toBeVisible();
  const policy = await policyRow(owner.email);
  expect(policy).toMatchObject({ requireTwoFactor: true, enforcementMode: "GRACE", graceDays: 7 });
  const deadline = policy.graceDeadline as Date;
  const left = Math.ceil((deadline.getTime() - Date.now()) / 86_400_000);
  expect([6, 7]).toContain(left);
  await page.reload();
  await expect(page.getByTestId("policy-state")).toContainText("Grace period of 7 days");
  await expect(page.getByTestId("policy-state")).toContainText(`${left} days left`);
  expect((await mailbox.latest(tom.email, "org-two-factor")).payload).toMatchObject({ kind: "enrol", mode: "GRACE" });

  // Tom keeps his session and sees the countdown on every page.
  for (const path of ["/dashboard", "/profile/security", "/settings/owner"]) {
    await tom.page.goto(path);
    await expect(tom.page, path).not.toHaveURL(SETUP);
    const banner = tom.page.getByRole("region", { name: "Two-factor authentication required" });
    await expect(banner, path).toContainText("Grace Co requires two-factor authentication.");
    await expect(banner, path).toContainText(`${left} days left to set it up`);
  }
  await tom.page.goto("/dashboard");
  await expect(tom.page.getByRole("navigation", { name: "Console" })).toBeVisible();
  await screenshot(tom.page, "org-security-grace-banner");

  // The deadline passes: the next page load is the gate.
  await query(
    `UPDATE "Organization" SET "graceDeadline" = now() - interval '1 minute'
     WHERE id = (SELECT "organizationId" FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = $1)`,
    [tom.email],
  );
  await tom.page.goto("/settings/owner");
  await expect(tom.page).toHaveURL(SETUP);
  await expect(tom.page.getByRole("region", { name: "Two-factor authentication required" })).toHaveCount(0);
  await expect(tom.page.getByText("Grace Co requires two-factor authentication")).toBeVisible();
  await expect(tom.page.getByRole("navigation", { name: "Console" })).toHaveCount(0);
  await screenshot(tom.page, "org-security-grace-expired");
  await page.reload();
  await expect(page.getByTestId("policy-state")).toContainText("Passed");
  await Promise.all([owner.context.close(), tom.context.close()]);
});

test("stale form: a save based on an old version is refused, nothing changes, Reload shows the current settings", async ({
  browser,
  mailbox,
  withTwoFactor,
  totp,
  axe,
}) => {
  test.setTimeout(180_000);
  const { owner } = await newOrganization(browser, "Stale Co", { plan: "PROFESSIONAL" });
  const ownerSecret = await withTwoFactor({ email: owner.email, password: PASSWORD }, { page: owner.page });
  // Two tabs of the same administrator, both showing version 0.
  const a = owner.page;
  const b = await owner.context.newPage();
  await a.goto("/settings/security");
  await b.goto("/settings/security");

  let dialog = await openTurnOn(a);
  await dialog.getByRole("radio", { name: "At their next sign-in" }).check();
  await dialog.getByRole("button", { name: "Require 2FA" }).click();
  await a
    .getByRole("dialog", { name: "Two-factor authentication is now required" })
    .getByRole("button", {
      name: "Close",
    })
    .click();
  expect(await policyRow(owner.email)).toMatchObject({
    requireTwoFactor: true,
    enforcementMode: "NEXT_SIGN_IN",
    policyVersion: 1,
  });

  // Tab B still shows "off": turning it on from there is refused.
  dialog = await openTurnOn(b);
  await dialog.getByRole("radio", { name: /^Grace period of/ }).check();
  await dialog.getByLabel("Grace period in days (1–30)").fill("5");
  await dialog.getByRole("button", { name: "Require 2FA" }).click();
  await expect(dialog.getByText(errorMessages.POLICY_STALE)).toBeVisible();
  await viewportShot(b, "org-security-stale-dialog");
  expect(await policyRow(owner.email)).toMatchObject({
    enforcementMode: "NEXT_SIGN_IN",
    graceDays: null,
    policyVersion: 1,
  });
  await dialog.getByRole("button", { name: "Reload" }).click();
  await expect(dialog).toBeHidden();
  await expect(b.getByTestId("policy-state")).toContainText("At their next sign-in");

  // Both tabs now show version 1. A shortens nothing yet: switches to a 10-day grace period and saves.
  await a.reload();
  const formA = await hydrated(a.getByRole("form", { name: "Rollout and options" }));
  await formA.getByRole("radio", { name: /^Grace period of/ }).check();
  await formA.getByLabel("Grace period in days (1–30)").fill("10");
  await expect(formA.getByText("The grace period starts when you save.")).toBeVisible();
  // From "next sign-in" to a grace period loosens the rule (S42): the owner's own code first. Enrolling their app
  // earlier did not count as a step-up (S39). A deadline with nobody else to reset their 2FA: confirmed (B6).
  await formA.getByRole("checkbox", { name: /I understand that nobody else can reset my 2FA/ }).check();
  await formA.getByRole("button", { name: "Save changes" }).click();
  const stepUpA = a.getByRole("form", { name: "Confirm it's you" });
  await expect(stepUpA).toBeVisible();
  expect(await policyRow(owner.email)).toMatchObject({ enforcementMode: "NEXT_SIGN_IN", policyVersion: 1 });
  await screenshot(a, "org-security-settings-step-up");
  await stepUpA.getByLabel("Code from your authenticator app").fill(await totp(ownerSecret));
  await stepUpA.getByRole("button", { name: "Verify and continue" }).click();
  await expect(formA.getByText(/^Saved\./)).toBeVisible();
  await expect(a.getByTestId("policy-state")).toContainText("Grace period of 10 days");

  // B, still on version 1, un-exempts SSO users: refused, nothing changed.
  const formB = await hydrated(b.getByRole("form", { name: "Rollout and options" }));
  await formB.getByRole("checkbox", { name: "Exempt SSO users" }).uncheck();
  await formB.getByRole("button", { name: "Save changes" }).click();
  await expect(formB.getByText(errorMessages.POLICY_STALE)).toBeVisible();
  await screenshot(b, "org-security-stale-form");
  expect(await policyRow(owner.email)).toMatchObject({
    enforcementMode: "GRACE",
    graceDays: 10,
    exemptSso: true,
    policyVersion: 2,
  });
  await formB.getByRole("button", { name: "Reload" }).click();
  await expect(formB.getByText(errorMessages.POLICY_STALE)).toHaveCount(0);
  await expect(formB.getByRole("checkbox", { name: "Exempt SSO users" })).toBeChecked();
  await expect(formB.getByRole("radio", { name: "Grace period of 10 days" })).toBeChecked();

  // Bad input on the field, checked in the browser and never sent.
  await formB.getByLabel("Grace period in days (1–30)").fill("0");
  await formB.getByRole("button", { name: "Save changes" }).click();
  await expect(formB.getByText("Choose a grace period of 1 to 30 days.")).toBeVisible();
  await expect(formB.getByLabel("Grace period in days (1–30)")).toHaveAttribute("aria-invalid", "true");
  await formB.getByLabel("Grace period in days (1–30)").fill("3");
  await expect(formB.getByText("A shorter period applies at once to everyone.", { exact: false })).toBeVisible();
  await formB.getByRole("button", { name: "Save changes" }).click();
  await expect(formB.getByText(/^Saved\./)).toBeVisible();
  expect(await policyRow(owner.email)).toMatchObject({ graceDays: 3, policyVersion: 3 });
  await screenshot(b, "org-security-settings-form");

  // Turning it off: a confirmation and (S42) a fresh step-up — the one from tab A is made 11 minutes old — then
  // everyone is emailed and keeps their own 2FA.
  await query(
    `UPDATE "Session" SET "stepUpAt" = now() - interval '11 minutes'
     WHERE "userId" = (SELECT id FROM "User" WHERE email = $1) AND "stepUpAt" IS NOT NULL`,
    [owner.email],
  );
  dialog = await openDialogWith(
    b.getByRole("button", { name: "Turn off", exact: true }),
    b.getByRole("dialog", { name: "Stop requiring two-factor authentication?" }),
  );
  await expect(dialog.getByText("Every member will be emailed that it is no longer required.")).toBeVisible();
  await expect(dialog.getByText(/Members keep their own 2FA/)).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Keep it required" })).toBeFocused();
  await viewportShot(b, "org-security-turn-off-dialog");
  await axe(b, { within: "dialog[open]" });
  await dialog.getByRole("button", { name: "Turn off requirement" }).click();
  await expect(dialog.getByRole("form", { name: "Confirm it's you" })).toBeVisible();
  expect((await policyRow(owner.email)).requireTwoFactor).toBe(true);
  await viewportShot(b, "org-security-turn-off-step-up");
  await axe(b, { within: "dialog[open]" });
  await dialog.getByLabel("Code from your authenticator app").fill(await totp(ownerSecret));
  await dialog.getByRole("button", { name: "Verify and continue" }).click();
  await expect(
    b.getByRole("dialog", { name: "Two-factor authentication is no longer required" }).getByText("1 email queued."),
  ).toBeVisible();
  expect(await policyRow(owner.email)).toMatchObject({ requireTwoFactor: false, enforcementMode: null });
  expect((await mailbox.latest(owner.email, "org-two-factor")).payload.kind).toBe("not-required");
  const [factor] = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "TotpFactor" WHERE "userId" = (SELECT id FROM "User" WHERE email = $1)`,
    [owner.email],
  );
  expect(factor?.n).toBe(1);
  await owner.context.close();
});

test("a member gets the 403 page at Settings > Organization security and no link to it", async ({ browser }) => {
  const {
    owner,
    teammates: [tom],
  } = await newOrganization(browser, "Members Co", { plan: "PROFESSIONAL", teammates: [{ name: "Tom Li" }] });
  if (!tom) throw new Error("a teammate");
  await expect(tom.page.getByRole("link", { name: "Organization security" })).toHaveCount(0);
  const response = await tom.page.goto("/settings/security");
  expect(response?.status()).toBe(403);
  await expect(tom.page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
  await expect(tom.page.getByRole("switch")).toHaveCount(0);

  // Crafted requests to the save action itself (S25): refused on the server, nothing changes.
  const before = await policyRow(owner.email);
  const turnOn = { requireTwoFactor: true, mode: "NOW", exemptSso: true, allowedMethods: ["TOTP"] };
  const post = (page: Page, input: Record<string, unknown>) => callAction(page, "savePolicyAction", input);
  expect(await post(tom.page, { ...turnOn, expectedVersion: before.policyVersion })).toContain('"code":"FORBIDDEN"');
  // The owner without 2FA of their own (the lockout guardrail), and on the Free plan (the plan gate).
  expect(await post(owner.page, { ...turnOn, expectedVersion: before.policyVersion })).toContain(
    '"code":"ENFORCE_REQUIRES_OWN_TWO_FACTOR"',
  );
  await setPlan(owner.email, "FREE");
  expect(await post(owner.page, { ...turnOn, expectedVersion: before.policyVersion })).toContain(
    '"code":"PLAN_REQUIRED"',
  );
  expect(
    await post(owner.page, { ...turnOn, mode: "GRACE", graceDays: 99, expectedVersion: before.policyVersion }),
  ).toContain('"code":"VALIDATION"');
  expect(await policyRow(owner.email)).toEqual(before);
  await Promise.all([owner.context.close(), tom.context.close()]);
});

/** Posts a server action the way the browser does (id from the build's manifest, posted to the page serving it). */
async function callAction(page: Page, name: string, input: Record<string, unknown>): Promise<string> {
  const manifest = JSON.parse(fs.readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
    node: Record<string, { exportedName?: string }>;
  };
  const id = Object.entries(manifest.node).find(([, e]) => e.exportedName === name)?.[0];
  if (!id) throw new Error(`no server action ${name} in the build`);
  const baseURL = test.info().project.use.baseURL ?? "";
  const res = await page.context().request.post("/settings/security", {
    headers: { "next-action": id, origin: baseURL, "content-type": "text/plain;charset=UTF-8" },
    data: JSON.stringify([input]),
    maxRedirects: 0,
  });
  return res.text();
}

// The action that saves the policy answers with the refreshed page too (revalidatePath), and on a slow browser that page
// could be committed before the answer was stored as the dialog's result: the "someone else already did it" effect then
// closed the dialog over our own result (seen in CI on the turn-off dialog). CPU throttled 3× makes that order likely: on
// the old code this test lost the turn-off result in 1 of 8 rounds here, so it catches it most runs, not every run.
test("the on and off result screens stay open on a slow browser: our own save is not taken for someone else's", async ({
  browser,
  withTwoFactor,
  totp,
}) => {
  test.setTimeout(300_000);
  const { owner } = await newOrganization(browser, "Slow Browser Co", { plan: "PROFESSIONAL" });
  const secret = await withTwoFactor({ email: owner.email, password: PASSWORD }, { page: owner.page });
  const page = owner.page;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 3 });
  await page.goto("/settings/security");
  for (let round = 0; round < 8; round++) {
    const dialog = await openTurnOn(page);
    await dialog.getByRole("radio", { name: "At their next sign-in" }).check();
    await dialog.getByRole("button", { name: "Require 2FA" }).click();
    const on = page.getByRole("dialog", { name: "Two-factor authentication is now required" });
    await expect(on, `round ${round}: turned on`).toBeVisible();
    await on.getByRole("button", { name: "Close" }).click();

    const confirm = await openDialogWith(
      page.getByRole("button", { name: "Turn off", exact: true }),
      page.getByRole("dialog", { name: "Stop requiring two-factor authentication?" }),
    );
    await confirm.getByRole("button", { name: "Turn off requirement" }).click();
    const stepUp = confirm.getByRole("form", { name: "Confirm it's you" });
    const off = page.getByRole("dialog", { name: "Two-factor authentication is no longer required" });
    // S42: the first turn-off asks for the owner's code; the step-up then holds for 10 minutes.
    await expect(stepUp.or(off)).toBeVisible();
    if (await stepUp.isVisible()) {
      await stepUp.getByLabel("Code from your authenticator app").fill(await totp(secret));
      await stepUp.getByRole("button", { name: "Verify and continue" }).click();
    }
    await expect(off, `round ${round}: turned off`).toBeVisible();
    expect((await policyRow(owner.email)).requireTwoFactor).toBe(false);
    await off.getByRole("button", { name: "Close" }).click();
  }
  await owner.context.close();
});
