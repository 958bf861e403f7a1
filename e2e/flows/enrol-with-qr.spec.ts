// QA flow: a person turns on 2FA by scanning the QR code — decoded from a screenshot, as a phone would — and then
// signs in with codes from that scan alone. If the QR code showed a different secret than the one the server keeps,
// the enrolment code or the sign-in code would be refused and this test fails. No database access: @deployed.
import { expect, test } from "../fixtures";
import { signIn, signUp, uniqueEmail } from "../support";
import { scanQrCode } from "./qr";

test("enrol by scanning the QR code, then sign in with the scanned key only @deployed", async ({ page, totp }) => {
  test.setTimeout(180_000);
  const email = uniqueEmail("qr");
  const password = "qr flow password 2026";
  await signUp(page, { name: "Quinn Scanner", email, password, organization: "QR Scan Co" });
  await expect(page).toHaveURL(/\/dashboard$/);

  await page.goto("/profile/security");
  await page.getByRole("button", { name: "Set up authenticator app" }).click();
  const scanned = await scanQrCode(page);
  expect(scanned.label).toContain(email);
  expect(scanned.issuer).toBe("Twofold");
  // The key typed by hand is the same one (for people who cannot scan).
  await expect(page.getByTestId("manual-key")).toHaveText(scanned.secret.replace(/(.{4})(?!$)/g, "$1 "));

  await page.getByLabel("Current password").fill(password);
  await page.getByLabel("6-digit code from the app").fill(await totp(scanned.secret));
  await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
  await expect(page.getByRole("heading", { name: "Two-factor authentication is on" })).toBeVisible();

  await page.goto("/dashboard");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/sign-in\/verify/);
  await page.getByLabel("Authentication code").fill(await totp(scanned.secret));
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
});
