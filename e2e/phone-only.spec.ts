// A person whose ONLY second factor is a phone does what an app user does (issue 12), in real Chromium: a teammate
// changes the password and regenerates the recovery codes with texted codes (read with the `sms` fixture), choosing
// the method in the one control; a phone-only administrator passes a step-up with a texted code.
import { randomInt } from "node:crypto";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { query, screenshot } from "./support";

const shot = (page: Page, name: string) => screenshot(page, name);

/** The organization of `ownerEmail` allows SMS and texts to the United Kingdom. */
async function allowSms(ownerEmail: string) {
  await query(
    `UPDATE "Organization" SET "allowedMethods" = ARRAY['TOTP','SMS']::"SecondFactorMethod"[], "smsCountries" = ARRAY['GB']
     WHERE id = (SELECT m."organizationId" FROM "Membership" m JOIN "User" u ON u.id = m."userId"
                 WHERE u.email = $1 AND m.role = 'OWNER')`,
    [ownerEmail],
  );
}

/** Gives `email` a confirmed phone as their only factor (adding one through the page is sms-phone.spec.ts's). */
async function phoneOnly(email: string): Promise<string> {
  const e164 = `+447400${String(randomInt(0, 1_000_000)).padStart(6, "0")}`;
  await query(
    `INSERT INTO "PhoneFactor" ("userId", "phoneE164", country, "confirmedAt") SELECT id, $2, 'GB', now() FROM "User" WHERE email = $1`,
    [email, e164],
  );
  return e164;
}

test("a phone-only teammate changes the password and regenerates recovery codes with texted codes", async ({
  org,
  signedIn,
  sms,
  axe,
}) => {
  test.setTimeout(240_000);
  await allowSms(org.owner.email);
  const page = await signedIn("employee");
  const phone = await phoneOnly(org.employee.email);
  const last4 = phone.slice(-4);

  // Change the password: a second factor is asked (the phone), chosen in the one control.
  await page.goto("/profile/security/password");
  const form = page.getByRole("form", { name: "Change password" });
  await expect(form.getByRole("radio", { name: "Text message" })).toBeChecked();
  await expect(form.getByRole("radio", { name: "Recovery code" })).toBeVisible();
  await expect(form.getByRole("radio", { name: "App" })).toHaveCount(0); // only the methods the person has
  const newPassword = "phone only passphrase for the test";
  await form.getByLabel("Current password").fill(org.employee.password);
  await form.getByLabel("New password").fill(newPassword);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByText("Enter the 6-digit code from the text message.").first()).toBeVisible();
  // The one control switches the field: a recovery code instead, then back to the text, its field empty.
  await form.getByLabel("Code from the text message").fill("12345");
  await form.getByRole("radio", { name: "Recovery code" }).check();
  await expect(form.getByLabel("One of your recovery codes")).toBeVisible();
  await form.getByRole("radio", { name: "Text message" }).check();
  await expect(form.getByLabel("Code from the text message")).toHaveValue("");
  const beforePassword = new Date(Date.now() - 1000);
  await form.getByRole("button", { name: `Text me a code to •••• ${last4}` }).click();
  await expect(form.getByText(`We texted a code to •••• ${last4}`)).toBeVisible();
  await expect(form.getByRole("button", { name: /Send a new code in \d+ s/ })).toBeDisabled();
  const passwordText = await sms.latest(phone, { after: beforePassword });
  expect(passwordText.text).toContain("verification code");
  await form.getByLabel("Code from the text message").fill(passwordText.code);
  await shot(page, "phone-only-password");
  await axe(page);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(page).toHaveURL(/\/profile\/security\?password=changed/, { timeout: 30_000 });
  await expect(page.getByText("Your password was changed")).toBeVisible();
  // Profile › Security offers new recovery codes to a phone-only person too.
  await shot(page, "phone-only-security");
  await page.getByRole("link", { name: "Generate new recovery codes" }).click();

  // Regenerate the recovery codes with a texted code. A text was sent a moment ago: the 30 s rule answers first.
  await expect(page.getByRole("heading", { name: "Recovery codes", exact: true })).toBeVisible();
  const regen = page.getByRole("form", { name: "Generate new recovery codes" });
  await expect(regen.getByRole("radio", { name: "Text message" })).toBeChecked();
  await regen.getByLabel("Current password").fill(newPassword);
  await regen.getByRole("button", { name: `Text me a code to •••• ${last4}` }).click();
  await expect(regen.getByText(/A code was sent a moment ago/)).toBeVisible();
  // The refusal counts down on the button until a text may be sent again.
  await expect(regen.getByRole("button", { name: /Text me a code to •••• \d{4} \(in \d+ s\)/ })).toBeDisabled();
  await shot(page, "phone-only-regenerate-wait");
  await page.waitForTimeout(Math.max(0, beforePassword.getTime() + 33_000 - Date.now()));
  const beforeRegen = new Date(Date.now() - 1000);
  await regen.getByRole("button", { name: `Text me a code to •••• ${last4}` }).click();
  await expect(regen.getByText(`We texted a code to •••• ${last4}`)).toBeVisible();
  const regenText = await sms.latest(phone, { after: beforeRegen });
  expect(regenText.code).not.toBe(passwordText.code);
  await regen.getByLabel("Code from the text message").fill(regenText.code);
  await shot(page, "phone-only-regenerate");
  await axe(page);
  await regen.getByRole("button", { name: "Generate new codes" }).click();
  await expect(page.getByRole("heading", { name: "Your new recovery codes" })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("recovery-code")).toHaveCount(10);
  await shot(page, "phone-only-regenerated");
});

test("a phone-only administrator passes a step-up with a texted code and promotes a teammate", async ({
  org,
  signedIn,
  sms,
  axe,
}) => {
  test.setTimeout(180_000);
  await allowSms(org.owner.email);
  const page = await signedIn("admin");
  const phone = await phoneOnly(org.admin.email);
  const last4 = phone.slice(-4);
  const roleOf = async () =>
    (
      await query<{ role: string }>(
        `SELECT m.role FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = $1`,
        [org.client.email],
      )
    )[0]?.role;

  await page.goto("/settings/users");
  await page.getByLabel(`Role of ${org.client.name}`).selectOption("ADMIN");
  const dialog = page.locator("dialog[open]");
  await dialog.getByRole("button", { name: "Make administrator" }).click();
  // S42: promotion needs the admin's own fresh second factor: here, a text.
  const stepUp = dialog.getByRole("form", { name: "Confirm it's you" });
  await expect(stepUp).toBeVisible();
  await expect(stepUp.getByRole("radio", { name: "Text message" })).toBeChecked();
  const before = new Date(Date.now() - 1000);
  await stepUp.getByRole("button", { name: `Text me a code to •••• ${last4}` }).click();
  const text = await sms.latest(phone, { after: before });
  // A wrong code is refused in place.
  await stepUp.getByLabel("Code from the text message").fill(text.code === "000000" ? "111111" : "000000");
  await stepUp.getByRole("button", { name: "Verify and continue" }).click();
  await expect(stepUp.getByText(/That code is not right|not valid/).first()).toBeVisible();
  await stepUp.getByLabel("Code from the text message").fill(text.code);
  await shot(page, "phone-only-step-up");
  await axe(page);
  await stepUp.getByRole("button", { name: "Verify and continue" }).click();
  await expect(dialog.getByRole("heading", { name: `${org.client.name} is now an administrator` })).toBeVisible({
    timeout: 30_000,
  });
  expect(await roleOf()).toBe("ADMIN");
});

test("a phone-only owner transfers ownership to a phone-only administrator with a texted code", async ({
  org,
  signedIn,
  sms,
  axe,
}) => {
  test.setTimeout(180_000);
  await allowSms(org.owner.email);
  const page = await signedIn("owner");
  const phone = await phoneOnly(org.owner.email);
  await phoneOnly(org.admin.email); // a phone makes the administrator a candidate
  await page.goto("/settings/owner");
  const form = page.getByRole("form", { name: "Transfer ownership" });
  await form.getByLabel("New owner").selectOption({ label: `${org.admin.name} (${org.admin.email})` });
  await form.getByRole("button", { name: "Continue" }).click();
  await form.getByLabel("Your current password").fill(org.owner.password);
  await expect(form.getByRole("radio", { name: "Text message" })).toBeChecked();
  const before = new Date(Date.now() - 1000);
  await form.getByRole("button", { name: `Text me a code to •••• ${phone.slice(-4)}` }).click();
  const { code } = await sms.latest(phone, { after: before });
  await form.getByLabel("Code from the text message").fill(code);
  await shot(page, "phone-only-transfer");
  await axe(page);
  await form.getByRole("button", { name: "Transfer ownership" }).click();
  await expect(page).toHaveURL(/\/settings\/owner\?transferred=1$/, { timeout: 30_000 });
  await expect(page.getByText("Ownership transferred")).toBeVisible();
});
