// QA flow: the owner requires 2FA for the whole organization ("sign out members without 2FA now"); a member without
// 2FA is signed out, and at the next sign-in can do nothing but set it up — with a code from their email (so that
// whoever knows the password cannot enrol first) and a code from the app. Needs a Professional organization (set in
// the database): local project only.
import { expect, test } from "../fixtures";
import { openDialogWith } from "../support";

test.use({ orgPlan: "PROFESSIONAL" });

test("owner requires 2FA; a member is signed out and must set it up before anything else", async ({
  org,
  withTwoFactor,
  totp,
  signedIn,
  mailbox,
}) => {
  test.setTimeout(180_000);
  await withTwoFactor(org.owner); // the owner must have 2FA before requiring it
  const membersOldBrowser = await signedIn("employee");

  const owner = await signedIn("owner");
  await owner.goto("/settings/security");
  const dialog = await openDialogWith(
    owner.getByRole("button", { name: "Review impact and turn on" }),
    owner.getByRole("dialog", { name: "Require two-factor authentication?" }),
  );
  await dialog.getByRole("radio", { name: "Sign out members without 2FA now" }).check();
  // Nobody else among owners and administrators has 2FA: the owner accepts being the only one who can reset it.
  await dialog.getByRole("checkbox", { name: /I understand that nobody else can reset my 2FA/ }).check();
  await dialog.getByRole("button", { name: "Require 2FA and sign them out" }).click();
  await expect(owner.getByRole("dialog", { name: "Two-factor authentication is now required" })).toBeVisible();

  // The member's session is gone; signing in again leads to setup, and every other page redirects there.
  await membersOldBrowser.goto("/dashboard");
  await expect(membersOldBrowser).toHaveURL(/\/sign-in/);
  const member = await signedIn("employee");
  await expect(member).toHaveURL(/\/profile\/security\/two-factor\/setup$/);
  await member.goto("/settings/users");
  await expect(member).toHaveURL(/\/profile\/security\/two-factor\/setup$/);

  await member.getByRole("button", { name: "Show QR code" }).click();
  const secret = ((await member.getByTestId("manual-key").textContent()) ?? "").replaceAll(" ", "");
  await member.getByLabel("Current password").fill(org.employee.password);
  await member.getByRole("button", { name: "Email me a code" }).click();
  const emailed = await mailbox.latest(org.employee.email, "email-code");
  await member.getByLabel("Code from your email").fill(String(emailed.payload.code));
  await member.getByLabel("6-digit code from the app").fill(await totp(secret));
  await member.getByRole("button", { name: "Turn on two-factor authentication" }).click();
  await expect(member.getByRole("heading", { name: "Two-factor authentication is on" })).toBeVisible();
  await member.getByRole("link", { name: "I have saved my codes: continue to the workspace" }).click();
  await expect(member).toHaveURL(/\/dashboard$/);
});
