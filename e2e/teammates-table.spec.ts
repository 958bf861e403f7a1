import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import { DEMO, query, screenshot, signedInPage } from "./support";

// Settings > Users for administrators: search, 2FA filter, CSV export of the filtered view, and the column chooser
// whose choice persists per administrator. Its own teammates are inserted into Acme Inc with SQL (a unique tag in
// their names) and deleted afterwards; the demo accounts' 2FA state is never touched.

// The tests share Acme Inc's teammates made in beforeAll and the demo administrator's column choice: one worker, in
// order (the suite runs fullyParallel otherwise).
test.describe.configure({ mode: "default" });

const tag = randomUUID().slice(0, 8);
const enabledName = `Wren Enabled ${tag}`;
const pendingName = `Pending, "Quinn" ${tag}`;
const ids: string[] = [];

async function insertTeammate(name: string, email: string, opts: { totp?: boolean } = {}) {
  const [org] = await query<{ id: string }>(`SELECT id FROM "Organization" WHERE name = 'Acme Inc'`);
  const userId = `e2e${randomUUID().replaceAll("-", "").slice(0, 20)}`;
  await query(
    `INSERT INTO "User" (id, email, name, "signInMethod", "createdAt", "updatedAt", "lastSignInAt")
     VALUES ($1, $2, $3, 'PASSWORD', now(), now(), now() - interval '2 days')`,
    [userId, email, name],
  );
  await query(
    `INSERT INTO "Membership" (id, "organizationId", "userId", role, type, status, "createdAt", "updatedAt")
     VALUES ($1, $2, $3, 'MEMBER', 'EMPLOYEE', 'ACTIVE', now(), now())`,
    [`m${userId}`, org?.id, userId],
  );
  if (opts.totp) {
    await query(
      `INSERT INTO "TotpFactor" ("userId", "secretEnc", "keyVersion", "lastUsedAt") VALUES ($1, 'v1:e2e-unused', 1, now())`,
      [userId],
    );
    await query(
      `INSERT INTO "RecoveryCode" (id, "userId", "codeHash", "usedAt")
       SELECT $1 || i, $1, md5($1 || i), CASE WHEN i <= 7 THEN now() END FROM generate_series(1, 10) AS i`,
      [userId],
    );
  }
  ids.push(userId);
}

test.beforeAll(async () => {
  await insertTeammate(enabledName, `wren-${tag}@example.test`, { totp: true });
  await insertTeammate(pendingName, `quinn-${tag}@example.test`);
});

test.afterAll(async () => {
  await query(`DELETE FROM "User" WHERE id = ANY($1)`, [ids]);
  await query(
    `UPDATE "Membership" SET "usersTableColumns" = NULL WHERE "userId" = (SELECT id FROM "User" WHERE email = $1)`,
    [DEMO.admin],
  );
});

const row = (page: Page, name: string) => page.getByRole("row").filter({ hasText: name });

test("an administrator searches, filters by 2FA status and exports the filtered view as CSV", async ({ browser }) => {
  const { context, page } = await signedInPage(browser, DEMO.admin);
  await page.goto("/settings/users");
  await expect(page.getByRole("columnheader", { name: "2FA", exact: true })).toBeVisible();
  await expect(row(page, enabledName).getByText("App", { exact: true })).toBeVisible();
  await expect(row(page, enabledName).getByText("3/10", { exact: true })).toBeVisible();
  await expect(row(page, "Tom Li").getByText("Not set up", { exact: true })).toBeVisible();
  await screenshot(page, "users-table");

  // Search by the tag: both of this test's teammates, nobody else.
  await page.getByLabel("Search by name or email").fill(tag.toUpperCase());
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(new RegExp(`q=${tag.toUpperCase()}`));
  await expect(page.getByRole("heading", { name: "Members (2 matching)" })).toBeVisible();
  await expect(row(page, enabledName)).toBeVisible();
  await expect(row(page, pendingName)).toBeVisible();

  // Filter "not set up": only the teammate without 2FA remains.
  await page.getByLabel("2FA status").selectOption("not-set-up");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/status=not-set-up/);
  await expect(page.getByRole("heading", { name: "Members (1 matching)" })).toBeVisible();
  await expect(row(page, pendingName).getByText("Not set up", { exact: true })).toBeVisible();
  await expect(row(page, enabledName)).toHaveCount(0);

  // The export holds exactly the filtered rows, quoted.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Export CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^users-[a-z0-9-]+-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = fs.readFileSync((await download.path()) as string, "utf8").replace(/^\uFEFF/, "");
  const lines = csv.split("\r\n").filter(Boolean);
  expect(lines[0]).toMatch(/^"name","email","role","type","sign_in_method","two_factor"/);
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(`"Pending, ""Quinn"" ${tag}","quinn-${tag}@example.test","member","employee"`);
  expect(lines[1]).toContain('"not-set-up"');
  expect(csv).not.toContain(enabledName);

  // No match: a clear empty state with a way back.
  await page.getByLabel("Search by name or email").fill(`nobody-${tag}`);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("No teammates match these filters")).toBeVisible();
  await page.getByRole("link", { name: "Clear filters" }).first().click();
  await expect(page).toHaveURL(/\/settings\/users$/);
  await expect(row(page, "Tom Li")).toBeVisible();
  await context.close();
});

test("an administrator hides the 2FA column and shows it again; the choice survives reload", async ({ browser }) => {
  const { context, page } = await signedInPage(browser, DEMO.admin);
  await page.goto("/settings/users");
  const header = page.getByRole("columnheader", { name: "2FA", exact: true });
  await expect(header).toBeVisible();

  const columns = page.getByRole("button", { name: "Columns" });
  await columns.click();
  await expect(columns).toHaveAttribute("aria-expanded", "true");
  const twoFactor = page
    .getByRole("group", { name: "Show columns" })
    .getByRole("checkbox", { name: "2FA", exact: true });
  await expect(twoFactor).toBeChecked();
  await twoFactor.uncheck();
  await expect(header).toHaveCount(0);
  await page.keyboard.press("Escape");
  await expect(columns).toBeFocused();

  await page.reload();
  await expect(page.getByRole("columnheader", { name: "Recovery codes" })).toBeVisible();
  await expect(header).toHaveCount(0);
  const [stored] = await query<{ usersTableColumns: unknown }>(
    `SELECT m."usersTableColumns" FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = $1`,
    [DEMO.admin],
  );
  expect(stored?.usersTableColumns).not.toContain("twoFactor");

  // Keyboard: open the chooser, tick 2FA again with Space.
  await columns.focus();
  await page.keyboard.press("Enter");
  await page.getByRole("checkbox", { name: "2FA", exact: true }).focus();
  await page.keyboard.press("Space");
  await expect(header).toBeVisible();
  await page.reload();
  await expect(header).toBeVisible();
  await expect(row(page, enabledName).getByText("App", { exact: true })).toBeVisible();
  await context.close();
});

test("a member sees the read-only directory without security columns and cannot export", async ({ browser }) => {
  const { context, page } = await signedInPage(browser, DEMO.member);
  await page.goto("/settings/users");
  await expect(page.getByRole("cell", { name: "Olivia Owens", exact: true })).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "2FA", exact: true })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Columns" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Export CSV" })).toHaveCount(0);
  const res = await page.request.get("/settings/users/export", { maxRedirects: 0 });
  expect(res.status()).toBe(403);
  expect(await res.text()).not.toContain("owner@acme.test");
  await context.close();
});
