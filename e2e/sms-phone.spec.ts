// A phone for text-message codes in Profile › Security (issue 12 items 1–3 and 7) in real Chromium: a teammate adds a
// phone (the code read from the local mailbox with the `sms` fixture), changes the number through both codes (old
// number first, then the new one) and turns SMS off; an owner forbids SMS and sees the impact on members whose only
// factor is a phone.
import { randomInt } from "node:crypto";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { query, screenshot } from "./support";

const shot = (page: Page, name: string) => screenshot(page, name);

/** A UK mobile number that libphonenumber accepts (+44 7400 …), as E.164 and as typed in the UK. */
function ukMobile() {
  const tail = String(randomInt(0, 1_000_000)).padStart(6, "0");
  return { e164: `+447400${tail}`, typed: `07400 ${tail}` };
}

/** The organization of `ownerEmail` allows SMS as a method and texts to the United Kingdom. */
async function allowSms(ownerEmail: string, extra = "") {
  await query(
    `UPDATE "Organization" SET "allowedMethods" = ARRAY['TOTP','SMS']::"SecondFactorMethod"[], "smsCountries" = ARRAY['GB']${extra}
     WHERE id = (SELECT m."organizationId" FROM "Membership" m JOIN "User" u ON u.id = m."userId"
                 WHERE u.email = $1 AND m.role = 'OWNER')`,
    [ownerEmail],
  );
}

test("a teammate adds a phone, changes the number through both codes, and turns SMS off", async ({
  org,
  signedIn,
  sms,
  axe,
}) => {
  test.setTimeout(240_000);
  await allowSms(org.owner.email);
  const page = await signedIn("employee");
  await page.goto("/profile/security");
  const section = page.getByTestId("phone-section");
  await expect(section).toContainText("An authenticator app is stronger");
  await section.getByRole("link", { name: "Add a phone" }).click();

  // 1. The number, with the country picker; a landline is refused with its own words.
  await expect(page.getByRole("heading", { name: "Add a phone for text-message codes" })).toBeVisible();
  await expect(page.getByText("An authenticator app is stronger than text messages")).toBeVisible();
  await expect(async () => {
    await page.getByLabel("Country").selectOption("GB");
    await expect(page.getByLabel("Country")).toHaveValue("GB", { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await page.getByLabel("Mobile number", { exact: true }).fill("020 7946 0018");
  await page.getByRole("button", { name: "Text me a code" }).click();
  await expect(page.getByText(/That is a landline/).first()).toBeVisible();
  await shot(page, "phone-add-landline");
  const first = ukMobile();
  await page.getByLabel("Mobile number", { exact: true }).fill(first.typed);
  const before = new Date(Date.now() - 1000);
  await page.getByRole("button", { name: "Text me a code" }).click();

  // 2. The texted code and the password.
  await expect(page.getByLabel("Code from the text message")).toBeVisible();
  await expect(page.getByText(`We texted a code to •••• ${first.e164.slice(-4)}`)).toBeVisible();
  const added = await sms.latest(first.e164, { after: before });
  await page.getByLabel("Code from the text message").fill(added.code);
  await page.getByLabel("Current password").fill(org.employee.password);
  await shot(page, "phone-add-code");
  await axe(page);
  await page.getByRole("button", { name: "Add this phone" }).click();
  // The first factor: recovery codes, once.
  await expect(page.getByRole("heading", { name: /save your recovery codes/ })).toBeVisible();
  await page.getByRole("link", { name: "I have saved my codes" }).click();
  await expect(page).toHaveURL(/\/profile\/security$/);
  await expect(page.getByTestId("phone-number")).toHaveText(`•••• ${first.e164.slice(-4)}`);
  await shot(page, "phone-section-on");

  // Change the number: a code to the old number first…
  await page.getByRole("link", { name: "Change number" }).click();
  await expect(page.getByRole("heading", { name: "Change your phone number" })).toBeVisible();
  await page.getByText("I no longer have the old number").click();
  await expect(page.getByText(/remove the phone with one of your recovery codes/)).toBeVisible();
  await shot(page, "phone-change-old");
  const beforeOld = new Date(Date.now() - 1000);
  await page.getByRole("button", { name: `Text a code to •••• ${first.e164.slice(-4)}` }).click();
  const oldText = await sms.latest(first.e164, { after: beforeOld });
  await page.getByLabel("Code sent to your current number").fill(oldText.code);
  const second = ukMobile();
  await page.getByLabel("New mobile number", { exact: true }).fill(second.typed);
  const beforeNew = new Date(Date.now() - 1000);
  await page.getByRole("button", { name: "Text a code to the new number" }).click();
  // …then the new number's code and the password.
  await expect(page.getByLabel("Code sent to the new number")).toBeVisible();
  const newText = await sms.latest(second.e164, { after: beforeNew });
  await page.getByLabel("Code sent to the new number").fill(newText.code);
  await page.getByLabel("Current password").fill(org.employee.password);
  await shot(page, "phone-change-new");
  await page.getByRole("button", { name: "Change number" }).click();
  await expect(page.getByText("Your phone number was changed.")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("phone-number")).toHaveText(`•••• ${second.e164.slice(-4)}`);

  // Turn SMS off with a code texted to the number.
  await page.getByRole("link", { name: "Turn off SMS" }).click();
  await expect(page.getByText(/This phone is your only second factor/)).toBeVisible();
  const beforeOff = new Date(Date.now() - 1000);
  await page.getByRole("button", { name: `Text a code to •••• ${second.e164.slice(-4)}` }).click();
  const offText = await sms.latest(second.e164, { after: beforeOff });
  await page.getByLabel("Code from the text message").fill(offText.code);
  await page.getByLabel("Current password").fill(org.employee.password);
  await shot(page, "phone-remove");
  await page.getByRole("button", { name: "Turn off text-message codes" }).click();
  await expect(page.getByText(/Text-message codes are off, and with them two-factor authentication/)).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByTestId("phone-section").getByRole("link", { name: "Add a phone" })).toBeVisible();
});

test.describe("an owner forbids SMS", () => {
  test.use({ orgPlan: "PROFESSIONAL" });

  test("the policy form counts the members whose only factor is a phone", async ({ org, signedIn, withTwoFactor }) => {
    test.setTimeout(180_000);
    await withTwoFactor(org.owner);
    // The requirement is on, SMS allowed; the employee's only factor is a phone.
    await allowSms(
      org.owner.email,
      `, "requireTwoFactor" = true, "enforcementMode" = 'NEXT_SIGN_IN', "requiredSince" = now(), "modeSince" = now()`,
    );
    await query(
      `INSERT INTO "PhoneFactor" ("userId", "phoneE164", country, "confirmedAt") SELECT id, $2, 'GB', now() FROM "User" WHERE email = $1`,
      [org.employee.email, ukMobile().e164],
    );
    const owner = await signedIn("owner");
    await owner.goto("/settings/security");
    const form = owner.getByRole("form", { name: "Rollout and options" });
    const smsBox = form.getByRole("checkbox", { name: "SMS (text message)" });
    await expect(smsBox).toBeChecked();
    await expect(form.getByTestId("only-factor-SMS")).toContainText("1 member uses only SMS");
    await expect(async () => {
      await smsBox.uncheck();
      await expect(form.getByTestId("only-factor-SMS")).toContainText(
        "1 member uses only SMS: without it allowed, they must add an authenticator app",
        { timeout: 1000 },
      );
    }).toPass({ timeout: 20_000 });
    await form.getByTestId("only-factor-SMS").scrollIntoViewIfNeeded();
    await shot(owner, "policy-forbid-sms");
    await form.getByRole("button", { name: "Save changes" }).click();
    await expect(form.getByText(/^Saved\./)).toBeVisible({ timeout: 30_000 });
    // The impact now counts the SMS-only member among those without an allowed factor.
    await owner.reload();
    await expect(owner.locator("[data-testid=impact-sentence]:visible")).toContainText("have not set up 2FA");
    await expect(owner.getByText(org.employee.email).first()).toBeVisible();
    await shot(owner, "policy-sms-forbidden");
  });
});
