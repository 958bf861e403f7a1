// Issue 10 items 1 and 2 in a real browser: changing the password (Profile > Security) and "Forgot password?" with the
// emailed single-use link (S18: a reset never skips the second step and never turns 2FA off).
import { expect, test } from "./fixtures";
import { screenshot, signIn } from "./support";

const NEW_PASSWORD = "a fresh passphrase for e2e";

test("change password with the app code: other sessions end, the old password fails, the new one asks for the code", async ({
  org,
  withTwoFactor,
  signedIn,
  totp,
  axe,
}) => {
  test.setTimeout(180_000);
  const emma = org.employee;
  await withTwoFactor(emma);
  const otherBrowser = await signedIn("employee");
  const page = await signedIn("employee");

  await page.goto("/profile/security");
  await page.getByRole("link", { name: "Change password" }).click();
  await expect(page).toHaveURL(/\/profile\/security\/password$/);
  // Every field's error at once.
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Enter your current password.")).toBeVisible();
  await expect(page.getByText("Use at least 10 characters.")).toBeVisible();
  await expect(page.getByText("Enter the 6-digit code from your authenticator app.")).toBeVisible();
  await page.getByLabel("New password", { exact: true }).fill(`${emma.name} forever`);
  await expect(page.getByText("Your password must not contain your name.")).toBeVisible();
  await screenshot(page, "passwords-change-form-errors");
  await axe(page);

  await page.getByLabel("Current password").fill(emma.password);
  await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel("Code from your authenticator app").fill(await totp(emma));
  await screenshot(page, "passwords-change-form");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Your password was changed")).toBeVisible({ timeout: 30_000 });
  await expect(page).toHaveURL(/\/profile\/security\?password=changed/);
  await screenshot(page, "passwords-security-after-change");

  // This browser stays signed in; the other one was signed out (S21).
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/dashboard$/);
  await otherBrowser.goto("/dashboard");
  await expect(otherBrowser).toHaveURL(/\/sign-in/);

  // The old password no longer works; the new one leads to the second step.
  await signIn(otherBrowser, emma.email, emma.password);
  await expect(otherBrowser.getByText("That email and password do not match an account.")).toBeVisible();
  await signIn(otherBrowser, emma.email, NEW_PASSWORD);
  await expect(otherBrowser).toHaveURL(/\/sign-in\/verify/);
  await otherBrowser.getByLabel("Authentication code").fill(await totp(emma));
  await otherBrowser.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(otherBrowser).toHaveURL(/\/dashboard$/);
});

test("forgot password with 2FA on: the emailed link works once, signs out everywhere, and sign-in still asks for the code", async ({
  browser,
  org,
  withTwoFactor,
  signedIn,
  totp,
  mailbox,
  axe,
}) => {
  test.setTimeout(180_000);
  const olga = org.owner;
  await withTwoFactor(olga);
  const oldBrowser = await signedIn("owner");

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByRole("link", { name: "Forgot password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await screenshot(page, "passwords-forgot");
  await axe(page);
  await page.getByLabel("Email").fill(olga.email);
  await page.getByRole("button", { name: "Email me a reset link" }).click();
  await expect(page.getByText("Check your email")).toBeVisible();
  await expect(page.getByText(`If an account exists for ${olga.email}, we sent it a link`)).toBeVisible();
  await screenshot(page, "passwords-forgot-sent");

  const mail = await mailbox.latest(olga.email, "password-reset");
  const link = new URL(String(mail.payload.resetUrl)).pathname;
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await screenshot(page, "passwords-reset");
  await axe(page);
  await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page).toHaveURL(/\/sign-in\?reset=done/, { timeout: 30_000 });
  await expect(page.getByText("Your password was changed")).toBeVisible();
  await screenshot(page, "passwords-sign-in-after-reset");

  // Every session ended (the reset signed nobody in); the old password is gone.
  await oldBrowser.goto("/dashboard");
  await expect(oldBrowser).toHaveURL(/\/sign-in/);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in/);

  // S18: 2FA is still on: the new password leads to the code step, not into the console.
  await signIn(page, olga.email, NEW_PASSWORD);
  await expect(page).toHaveURL(/\/sign-in\/verify/);
  await page.getByLabel("Authentication code").fill(await totp(olga));
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  // The link works once.
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "This link cannot be used" })).toBeVisible();
  await expect(page.getByText("This password reset link has already been used.")).toBeVisible();
  await context.close();
});

test("an unknown email gets the same page as a known one", async ({ page, org }) => {
  const answer = async (email: string) => {
    await page.goto("/forgot-password");
    await page.getByLabel("Email").fill(email);
    await page.getByRole("button", { name: "Email me a reset link" }).click();
    await expect(page.getByText("Check your email")).toBeVisible();
    return ((await page.locator("main").textContent()) ?? "").replaceAll(email, "<email>");
  };
  const known = await answer(org.contractor.email);
  const unknown = await answer(`nobody-${Date.now()}@qa.example.test`);
  expect(unknown).toBe(known);
});
