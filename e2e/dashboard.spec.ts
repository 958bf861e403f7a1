// The owner dashboard (issue 15) in a real browser: the seeded demo's figures equal what the database says, a number
// leads to the Users table filtered to exactly those members, the chart and its table are there, a member sees only
// their own security, and a Free owner's upgrade request reaches the sales mailbox and the owner. Screenshots at
// 1366 and 390 px (support.ts: screenshot).
import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { DEMO, query, screenshot, signIn, signUp, uniqueEmail } from "./support";

const shoot = (page: Page, name: string, fullPage = true) => screenshot(page, `dashboard-${name}`, { fullPage });
// Sign-up, sign-in and the dashboard's first count share two cores with the rest of the suite.
test.describe.configure({ timeout: 300_000 });

/** support.ts's signedInPage, with room for a slow password hash on a busy machine. */
async function signedInPage(browser: Browser, email: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  await expect(page).toHaveURL(/\/dashboard$/, { timeout: 90_000 });
  return { context, page };
}

async function demoFigures() {
  const [row] = await query<{ members: number; enrolled: number; notsetup: number; admins_enrolled: number }>(
    `SELECT count(*)::int AS members,
            count(t."userId")::int AS enrolled,
            count(*) FILTER (WHERE t."userId" IS NULL AND NOT (u."signInMethod" = 'SSO' AND o."exemptSso")
                             AND (m."twoFactorExemptUntil" IS NULL OR m."twoFactorExemptUntil" <= now()))::int AS notsetup,
            count(t."userId") FILTER (WHERE m.role = 'ADMIN')::int AS admins_enrolled
     FROM "Membership" m JOIN "User" u ON u.id = m."userId" JOIN "Organization" o ON o.id = m."organizationId"
     LEFT JOIN "TotpFactor" t ON t."userId" = m."userId"
     WHERE m.status = 'ACTIVE' AND o.id = (SELECT "organizationId" FROM "Membership" mm JOIN "User" uu ON uu.id = mm."userId"
                                           WHERE uu.email = $1 AND mm.role = 'OWNER')`,
    [DEMO.owner],
  );
  return row as { members: number; enrolled: number; notsetup: number; admins_enrolled: number };
}

test("the owner sees the demo's adoption as the database has it, with its chart, and a number opens the filtered table", async ({
  browser,
  axe,
}) => {
  const db = await demoFigures();
  expect(db.members).toBeGreaterThan(10); // the seeded team
  const { context, page } = await signedInPage(browser, DEMO.owner);
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.goto("/dashboard");
  await expect(page.getByTestId("figure-members")).toHaveText(String(db.members));
  await expect(page.getByTestId("figure-enrolled")).toHaveText(String(db.enrolled));
  await expect(page.getByTestId("figure-not-set-up")).toHaveText(String(db.notsetup));
  const share = `${Math.round((db.enrolled / db.members) * 1000) / 10}%`;
  await expect(page.getByTestId("adoption-share")).toHaveText(share);
  await expect(page.getByTestId("history-summary")).toContainText(
    `Today ${share.replace("%", "")}% of ${db.members} members`,
  );
  // The chart is drawn (recharts' line), and its table has one row per day of the last 90 days.
  await expect(page.locator("[data-testid=adoption-chart] .recharts-line-curve").first()).toBeVisible();
  await shoot(page, "owner-1366");
  await shoot(page, "owner-1366-top", false);
  await page.getByText("Show the figures as a table").click();
  await expect(
    page.getByRole("table", { name: "Members with two-factor authentication per day" }).locator("tbody tr"),
  ).toHaveCount(90);
  await expect(page.getByTestId("recent-events").locator("li")).toHaveCount(10);
  await axe(page);
  await shoot(page, "owner-1366-table");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.getByTestId("figure-members")).toBeVisible({ timeout: 30_000 });
  await expect(page.locator("[data-testid=adoption-chart] .recharts-line-curve").first()).toBeVisible();
  await shoot(page, "owner-390");
  await page.setViewportSize({ width: 1366, height: 900 });

  // "With 2FA" → the Users table filtered to those members, with the same count.
  await page.getByTestId("figure-enrolled").click();
  await expect(page).toHaveURL(/\/settings\/users\?status=enabled$/);
  await expect(page.getByRole("heading", { name: `Members (${db.enrolled} matching)` })).toBeVisible();
  // A split by role: administrators with 2FA.
  await page.goto("/dashboard");
  await page.getByRole("link", { name: `${db.admins_enrolled} administrators with 2FA` }).click();
  await expect(page).toHaveURL(/\/settings\/users\?role=admin&status=enabled$/);
  await expect(page.getByRole("heading", { name: `Members (${db.admins_enrolled} matching)` })).toBeVisible();
  await context.close();
});

test("a member sees their own security and the owner, never the organization's figures", async ({ browser, axe }) => {
  const { context, page } = await signedInPage(browser, DEMO.member);
  await page.setViewportSize({ width: 1366, height: 900 });
  await expect(page.getByTestId("my-two-factor")).toContainText("Not set up");
  await expect(page.getByTestId("my-sessions")).toContainText("(this browser)");
  await expect(page.getByTestId("my-owner")).toContainText(DEMO.owner);
  await expect(page.getByText("Two-factor adoption now")).toHaveCount(0);
  await expect(page.getByTestId("figure-members")).toHaveCount(0);
  await axe(page);
  await shoot(page, "member-1366");
  await page.setViewportSize({ width: 390, height: 844 });
  await shoot(page, "member-390");
  await context.close();
});

test("a Free owner requests an upgrade: sales and the owner get the mail, the dashboard says it is pending", async ({
  page,
  mailbox,
  axe,
}) => {
  const email = uniqueEmail("free-owner");
  const organization = `Freebie ${Date.now()}`;
  await signUp(page, { name: "Fay Free", email, password: "a long enough password 42", organization });
  await expect(page).toHaveURL(/\/dashboard$/, { timeout: 90_000 });
  await page.getByRole("button", { name: "Request an upgrade" }).click();
  const form = page.getByRole("form", { name: "Request an upgrade" });
  await form.getByLabel("Plan").selectOption("ENTERPRISE");
  await form.getByLabel("Seats").fill("120");
  await form.getByLabel("Message").fill("Rolling out 2FA to the whole company in January.");
  await shoot(page, "upgrade-form-1366");
  await form.getByRole("button", { name: "Send request" }).click();
  await expect(page.getByText(/Upgrade to Enterprise requested on/)).toBeVisible();
  const sales = await mailbox.latest("security@twofold.local", "upgrade-request");
  expect(sales.payload).toMatchObject({
    recipient: "sales",
    organizationName: organization,
    plan: "Enterprise",
    seats: 120,
  });
  const mine = await mailbox.latest(email, "upgrade-request");
  expect(mine.payload).toMatchObject({ recipient: "owner", organizationName: organization });
  const [audit] = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "AuditEvent" a JOIN "Organization" o ON o.id = a."organizationId"
     WHERE o.name = $1 AND a.type = 'organization.upgrade_requested'`,
    [organization],
  );
  expect(audit?.n).toBe(1);
  // Still pending after a reload, and no second request can be started.
  await page.reload();
  await expect(page.getByText(/Upgrade to Enterprise requested on/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Request an upgrade" })).toHaveCount(0);
  await axe(page);
  await shoot(page, "upgrade-pending-1366");
});
