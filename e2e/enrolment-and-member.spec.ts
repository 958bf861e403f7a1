// Issue 10 items 6, 7 and 9 in a real browser: enrolling on the phone that holds the app (Copy key, the otpauth://
// link at 390 px), an invitee who sets up 2FA with the app code alone (no second password, no emailed code), no
// "Turn off" while the organization requires 2FA, and an administrator without 2FA who is told to set it up before a
// step-up. Screenshots: enrol-*.png (support.ts: screenshot).
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { openDialogWith, query, screenshot, uniqueEmail } from "./support";

async function shot(page: Page, name: string, fullPage = true) {
  await screenshot(page, `enrol-${name}`, { fullPage });
}

const PHONE = { width: 390, height: 844 };

test("on a 390 px phone: Copy key (with Copied), an Open-in-app otpauth:// link, and the title says 2FA is on", async ({
  org,
  signedIn,
  totp,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const page = await signedIn("employee");
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  await page.setViewportSize(PHONE);
  await page.goto("/profile/security");
  await page.getByRole("button", { name: "Set up authenticator app" }).click();
  await expect(page).toHaveURL(/\/profile\/security\/two-factor\/setup$/);
  const key = ((await page.getByTestId("manual-key").textContent()) ?? "").replaceAll(" ", "");
  expect(key).toMatch(/^[A-Z2-7]{32}$/);

  // The phone cannot scan its own screen: one tap hands the account to the authenticator app.
  const openInApp = page.getByRole("link", { name: "Open in authenticator app" });
  await expect(openInApp).toBeVisible();
  const href = (await openInApp.getAttribute("href")) ?? "";
  expect(href).toMatch(/^otpauth:\/\/totp\//);
  expect(new URL(href).searchParams.get("secret")).toBe(key);

  // Copy key: the key lands in the clipboard, and the button says so.
  await page.getByRole("button", { name: "Copy key" }).click();
  await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
  await expect(page.getByText("Copied. Paste the key into your authenticator app.")).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
  // Nothing is wider than the phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await shot(page, "phone-390");

  // On a wide screen the QR code is the way: the link is not shown there.
  await page.setViewportSize({ width: 1366, height: 900 });
  await expect(openInApp).toBeHidden();
  await page.setViewportSize(PHONE);

  await page.getByLabel("Current password").fill(org.employee.password);
  await page.getByLabel("6-digit code from the app").fill(await totp(key));
  await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Two-factor authentication is on" })).toBeVisible();
  await expect(page).toHaveTitle(/^Two-factor authentication is on/);
  await expect(page.getByTestId("recovery-code")).toHaveCount(10);
  await shot(page, "phone-390-done");
});

test.describe("an organization that requires 2FA", () => {
  test.use({ orgPlan: "PROFESSIONAL" });

  test("an invitee sets up 2FA with the app code alone, and sees no Turn off while it is required", async ({
    org,
    withTwoFactor,
    totp,
    signedIn,
    mailbox,
    browser,
  }) => {
    test.setTimeout(180_000);
    await withTwoFactor(org.owner);
    const owner = await signedIn("owner");
    await owner.goto("/settings/security");
    const policy = await openDialogWith(
      owner.getByRole("button", { name: "Review impact and turn on" }),
      owner.getByRole("dialog", { name: "Require two-factor authentication?" }),
    );
    await policy.getByRole("radio", { name: "Sign out members without 2FA now" }).check();
    await policy.getByRole("checkbox", { name: /I understand that nobody else can reset my 2FA/ }).check();
    await policy.getByRole("button", { name: "Require 2FA and sign them out" }).click();
    await expect(owner.getByRole("dialog", { name: "Two-factor authentication is now required" })).toBeVisible();

    const email = uniqueEmail("ivy");
    await owner.goto("/settings/users");
    await owner.getByLabel("Email address").fill(email);
    await owner.getByRole("button", { name: "Send invitation" }).click();
    await expect(owner.getByText(`Invitation sent to ${email}.`)).toBeVisible();

    const invitation = await mailbox.latest(email, "invitation");
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await page.goto(String(invitation.payload.acceptUrl));
    await page.getByLabel("Your name").fill("Ivy Invitee");
    await page.getByLabel("Choose a password").fill("ivy's long password");
    await page.getByRole("button", { name: "Set password and join" }).click();
    await expect(page).toHaveURL(/\/profile\/security\/two-factor\/setup$/);
    await page.getByRole("button", { name: "Show QR code" }).click();
    const key = ((await page.getByTestId("manual-key").textContent()) ?? "").replaceAll(" ", "");
    // The link proved the mailbox and the password was just set: neither is asked again.
    await expect(page.getByText("Enter the 6-digit code your app shows now.")).toBeVisible();
    await expect(page.getByLabel("Current password")).toHaveCount(0);
    await expect(page.getByLabel("Code from your email")).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Email me a code" })).toHaveCount(0);
    await shot(page, "invitee-setup-390");
    // An empty submit says what is missing, on the field.
    await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
    await expect(page.getByText("Enter the 6-digit code from your authenticator app.")).toBeVisible();
    await page.getByLabel("6-digit code from the app").fill(await totp(key));
    await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Two-factor authentication is on" })).toBeVisible();
    await page.getByRole("link", { name: "I have saved my codes: continue to the workspace" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    // No mail with a code was needed.
    await expect
      .poll(async () => {
        return (
          await query(`SELECT count(*)::int AS n FROM "OutboxMessage" WHERE "to" = $1 AND template = 'email-code'`, [
            email,
          ])
        )[0]?.n;
      })
      .toBe(0);

    // While the organization requires 2FA there is no Turn off: the page says why and who can help.
    await page.goto("/profile/security");
    await expect(page.getByRole("link", { name: "Turn off" })).toHaveCount(0);
    const refused = page.getByTestId("turn-off-refused");
    await expect(refused).toContainText("Two-factor authentication cannot be turned off.");
    await expect(refused).toContainText(`${org.name} requires it.`);
    await expect(refused).toContainText(org.owner.email);
    await shot(page, "no-turn-off-390");
    await context.close();
  });
});

test("an administrator without 2FA is told to set it up first instead of being asked for a code", async ({
  org,
  withTwoFactor,
  signedIn,
}) => {
  test.setTimeout(120_000);
  await withTwoFactor(org.employee);
  const admin = await signedIn("admin");
  await admin.goto("/settings/users");
  await admin
    .getByRole("row")
    .filter({ hasText: org.employee.email })
    .getByRole("button", { name: /^2FA actions/ })
    .click();
  await admin.getByRole("button", { name: "Reset 2FA", exact: true }).click();
  const dialog = admin.locator("dialog[open]");
  await dialog.getByRole("button", { name: "Reset 2FA" }).click();
  const notice = dialog.getByRole("region", { name: "Set up two-factor authentication first" });
  await expect(notice).toBeVisible();
  await expect(notice.getByRole("link", { name: "Set up two-factor authentication" })).toHaveAttribute(
    "href",
    "/profile/security/two-factor/setup",
  );
  await expect(dialog.getByLabel("Code from your authenticator app")).toHaveCount(0);
  await expect(dialog.getByRole("button", { name: "Verify and continue" })).toHaveCount(0);
  await shot(admin, "step-up-needs-own-2fa", false); // the open dialog, as the admin sees it
  await notice.getByRole("link", { name: "Set up two-factor authentication" }).click();
  await expect(admin).toHaveURL(/\/profile\/security\/two-factor\/setup$/);
});
