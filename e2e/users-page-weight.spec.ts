// Settings > Users stays light as the table grows (issue 13 target 2): the row actions are rendered once for the
// whole table and opened for the chosen row, and the rows are plain data drawn by one client component, so what each
// extra row adds to the page is its values and its cells, never a menu, dialogs and forms of its own. Measured on the
// production build: the HTML of the page and its RSC payload (what a client-side navigation fetches), for 5 and for 50
// teammates in one organization.
import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { query, screenshot } from "./support";

const tag = randomUUID().slice(0, 8);

/** Adds `n` active members (every other one with an authenticator app) to the organization of `ownerEmail`. */
async function addMembers(ownerEmail: string, n: number, from: number) {
  await query(
    `WITH org AS (
       SELECT m."organizationId" AS id FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = $1
     ), users AS (
       INSERT INTO "User" (id, email, name, "signInMethod", "createdAt", "updatedAt", "lastSignInAt")
       SELECT 'w' || $2 || i, 'weight-' || $2 || '-' || i || '@example.test', 'Weight Member ' || i, 'PASSWORD',
              now(), now(), now() - interval '1 day'
       FROM generate_series($3::int, $3::int + $4::int - 1) AS i
       RETURNING id
     )
     INSERT INTO "Membership" (id, "organizationId", "userId", role, type, status, "createdAt", "updatedAt")
     SELECT 'm' || users.id, org.id, users.id, 'MEMBER', 'EMPLOYEE', 'ACTIVE', now(), now() FROM users, org`,
    [ownerEmail, tag, from, n],
  );
  await query(
    `INSERT INTO "TotpFactor" ("userId", "secretEnc", "keyVersion", "lastUsedAt")
     SELECT id, 'v1:e2e-unused', 1, now() FROM "User"
     WHERE id LIKE 'w' || $1 || '%' AND right(id, 1) IN ('0', '2', '4', '6', '8')
     ON CONFLICT DO NOTHING`,
    [tag],
  );
}

/** The page's HTML and its RSC payload (the `RSC: 1` request a client-side navigation makes), in bytes. */
async function weigh(page: Page) {
  const html = await (await page.request.get("/settings/users")).text();
  const rsc = await (await page.request.get("/settings/users", { headers: { RSC: "1" } })).text();
  const count = (text: string, re: RegExp) => text.match(re)?.length ?? 0;
  return {
    htmlBytes: Buffer.byteLength(html),
    rscBytes: Buffer.byteLength(rsc),
    dialogs: count(html, /<dialog\b/g),
    popovers: count(html, /\spopover="/g),
    forms: count(html, /<form\b/g),
    // Every client component instance in the payload is an element whose type is a client reference ("$L…").
    clientElements: count(rsc, /\["\$","\$L[0-9a-f]+"/g),
  };
}

test.afterAll(async () => {
  await query(`DELETE FROM "User" WHERE id LIKE 'w' || $1 || '%'`, [tag]);
});

test("the Users page adds no dialogs, menus, forms or client components per row, and little weight", async ({
  org,
  signedIn,
}) => {
  test.setTimeout(180_000);
  // The `org` fixture's five people: the owner and four teammates.
  const o = { owner: await signedIn("owner"), ownerEmail: org.owner.email };
  await o.owner.goto("/settings/users");
  await expect(o.owner.getByRole("heading", { name: "Members (5)" })).toBeVisible();
  const five = await weigh(o.owner);

  await addMembers(o.ownerEmail, 45, 20);
  await o.owner.goto("/settings/users");
  await expect(o.owner.getByRole("heading", { name: "Members (50)" })).toBeVisible();
  await expect(o.owner.getByRole("row")).toHaveCount(51); // the header row and 50 teammates: one page
  const fifty = await weigh(o.owner);
  console.log(`Users page weight: ${JSON.stringify({ five, fifty })}`);

  // The shared menu and dialog open for the chosen row.
  await o.owner.setViewportSize({ width: 1366, height: 900 });
  await screenshot(o.owner, "users-50-1366");
  const row = o.owner.getByRole("row").filter({ hasText: "Weight Member 22" });
  await row.getByRole("button", { name: /^2FA actions/ }).click();
  await o.owner.getByRole("button", { name: "Issue new recovery codes", exact: true }).click();
  await expect(o.owner.getByRole("dialog", { name: "Issue new recovery codes for Weight Member 22?" })).toBeVisible();
  await expect(o.owner.locator("dialog[open]").getByText(`weight-${tag}-22@example.test`)).toBeVisible();
  await screenshot(o.owner, "users-dialog-1366");
  await o.owner.keyboard.press("Escape");
  await expect(o.owner.getByRole("dialog")).toHaveCount(0);
  await o.owner.setViewportSize({ width: 390, height: 844 });
  await screenshot(o.owner, "users-50-390");
  await row.getByRole("button", { name: /^2FA actions/ }).click();
  await o.owner.getByRole("button", { name: "Issue new recovery codes", exact: true }).click();
  await screenshot(o.owner, "users-dialog-390");
  // Escape closes it and gives the focus back to the row's button.
  await o.owner.keyboard.press("Escape");
  await expect(row.getByRole("button", { name: /^2FA actions/ })).toBeFocused();
  // Row actions rendered once: 45 more rows, not one more dialog, menu or form.
  expect(fifty.dialogs).toBe(five.dialogs);
  expect(fifty.popovers).toBe(five.popovers);
  expect(fifty.forms).toBe(five.forms);
  expect(fifty.dialogs).toBeLessThanOrEqual(3);
  // Client components only where interaction needs them, and no client component per row: the rows are plain data
  // drawn by one client component (TeammateRows), which also draws each row's role picker.
  expect(fifty.clientElements).toBe(five.clientElements);
  // What one more row costs (issue 13 target 2), measured on 2 Dec 2026. HTML: its cells and controls plus its share
  // of the inline RSC payload, 1,358 bytes (about 2.5 KB while the rows were server components; 20 KB with a menu,
  // dialogs and forms per row). RSC: the row's values once, 277 bytes (1,533 while every element of every row was in
  // it; the row actions' targets are the same objects, written once).
  expect((fifty.htmlBytes - five.htmlBytes) / 45).toBeLessThanOrEqual(1.75 * 1024);
  expect((fifty.rscBytes - five.rscBytes) / 45).toBeLessThanOrEqual(400);
});
