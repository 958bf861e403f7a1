// QA flow: in an organization that requires 2FA, a newly invited person accepts the emailed invitation and is taken
// straight to 2FA setup before they can use the workspace. The emailed link already proved the mailbox and the
// password was just set: the app code alone turns 2FA on (issue 10 item 7). Needs a Professional organization
// (set in the database): local project only.
import { expect, test } from "../fixtures";
import { openDialogWith, uniqueEmail } from "../support";

test.use({ orgPlan: "PROFESSIONAL" });

test("an invitee of an organization that requires 2FA sets it up on joining", async ({
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

  const email = uniqueEmail("invitee");
  await owner.goto("/settings/users");
  await owner.getByLabel("Email address").fill(email);
  await owner.getByLabel("Type", { exact: true }).selectOption("CONTRACTOR");
  await owner.getByRole("button", { name: "Send invitation" }).click();
  await expect(owner.getByText(`Invitation sent to ${email}.`)).toBeVisible();

  const invitation = await mailbox.latest(email, "invitation");
  const page = await (await browser.newContext()).newPage();
  await page.goto(String(invitation.payload.acceptUrl));
  await page.getByLabel("Your name").fill("Ivy Invitee");
  await page.getByLabel("Choose a password").fill("ivy's long password");
  await page.getByRole("button", { name: "Set password and join" }).click();
  await expect(page).toHaveURL(/\/profile\/security\/two-factor\/setup$/);

  await page.getByRole("button", { name: "Show QR code" }).click();
  const secret = ((await page.getByTestId("manual-key").textContent()) ?? "").replaceAll(" ", "");
  await expect(page.getByLabel("Current password")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Email me a code" })).toHaveCount(0);
  await page.getByLabel("6-digit code from the app").fill(await totp(secret));
  await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
  await expect(page.getByRole("heading", { name: "Two-factor authentication is on" })).toBeVisible();
  await page.getByRole("link", { name: "I have saved my codes: continue to the workspace" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.context().close();
});
