// The examples of e2e/README.md, run as tests so the documentation stays true. @deployed: no database access.
import { expect, ROLES, test } from "./fixtures";
import { signUp, uniqueEmail } from "./support";

test("org and signedIn: a fresh organization with a person of each role; its owner signed in @deployed", async ({
  org,
  signedIn,
  axe,
}) => {
  const page = await signedIn("owner");
  await page.goto("/settings/users");
  for (const role of ROLES) await expect(page.getByText(org[role].email).first()).toBeVisible();
  await axe(page);
});

test("withTwoFactor and totp: 2FA on, then the next codes of the same app @deployed", async ({
  org,
  withTwoFactor,
  totp,
  signedIn,
}) => {
  const secret = await withTwoFactor(org.client);
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  const page = await signedIn("client"); // used one code at the second step
  await page.goto("/profile/security/two-factor/recovery-codes");
  await page.getByLabel("Current password").fill(org.client.password);
  await page.getByLabel("6-digit code from your app").fill(await totp(org.client)); // the next unused one
  await page.getByRole("button", { name: "Generate new codes" }).click();
  await expect(page.getByRole("heading", { name: "Your new recovery codes" })).toBeVisible();
});

test("mailbox: the invitation mail, with its link @deployed", async ({ page, mailbox }) => {
  await signUp(page, {
    name: "Mia Mail",
    email: uniqueEmail("mail"),
    password: "mailbox password 2026",
    organization: "Mail Co",
  });
  await expect(page).toHaveURL(/\/dashboard$/);
  const invitee = uniqueEmail("invitee");
  await page.goto("/settings/users");
  await page.getByLabel("Email address").fill(invitee);
  await page.getByRole("button", { name: "Send invitation" }).click();
  const mail = await mailbox.latest(invitee, "invitation");
  expect(mail.subject).toContain("Mail Co");
  expect(String(mail.payload.acceptUrl)).toMatch(/\/invite\/[A-Za-z0-9_-]{32,}$/);
});
