// Lockout is not a weapon (issue 9 item 3): a teammate locked out by wrong passwords is told so by mail, the owner
// sees the lock in Settings > Users and unlocks them (with a confirmation), and the teammate signs in at once.
import { expect, test } from "./fixtures";
import { screenshot, signIn } from "./support";

test("a locked-out teammate is mailed, shown as locked, unlocked by the owner, and signs in", async ({
  org,
  signedIn,
  withTwoFactor,
  totp,
  mailbox,
  axe,
  page,
}) => {
  test.setTimeout(240_000);
  // The owner turns on 2FA in their own session (never a step-up, S39: the unlock asks for a fresh code); their
  // teammate Emma (org.employee) is signed out, in this test's browser.
  const owner = await signedIn("owner");
  await withTwoFactor(org.owner, { page: owner });
  const o = { owner, teammate: page, email: org.employee.email };
  const TEAMMATE_PASSWORD = org.employee.password;

  // Ten wrong passwords pause password sign-in from this network, even with the right password afterwards.
  for (let i = 0; i < 10; i++) {
    await signIn(o.teammate, o.email, `wrong password ${i}`);
    await expect(o.teammate.getByText(/That email and password do not match|Too many attempts/)).toBeVisible();
  }
  await expect(
    o.teammate.getByText(/Too many attempts.*Try again after (\d+ \w+ \d{4}, )?\d\d:\d\d UTC/),
  ).toBeVisible();
  await signIn(o.teammate, o.email, TEAMMATE_PASSWORD);
  await expect(o.teammate.getByText(/ask your administrator to unlock your account/)).toBeVisible();
  await expect(o.teammate).toHaveURL(/\/sign-in/);
  const lockMail = await mailbox.latest(o.email, "account-locked");
  expect(lockMail.payload).toMatchObject({ factor: "password", scope: "network" });

  // The owner sees which lock and until when, and unlocks after a confirmation.
  await o.owner.goto("/settings/users");
  const row = o.owner.getByRole("row").filter({ hasText: o.email });
  await expect(row.getByText(/^Locked/)).toBeVisible();
  await row.getByRole("button", { name: /^2FA actions/ }).click();
  await expect(o.owner.getByText(/Password sign-in paused until .* UTC from some networks\./).first()).toBeVisible();
  await o.owner.getByRole("button", { name: "Unlock sign-in", exact: true }).click();
  const dialog = o.owner.locator("dialog[open]");
  await expect(o.owner.getByRole("dialog", { name: `Unlock sign-in for ${org.employee.name}?` })).toBeVisible();
  await expect(dialog.getByText(/Password sign-in paused until/)).toBeVisible();
  await screenshot(o.owner, "unlock-dialog");
  await axe(o.owner);
  await dialog.getByRole("button", { name: "Unlock", exact: true }).click();
  // Unlocking lets guesses in again: the owner confirms with a fresh code first (S26), and nothing is unlocked before.
  await expect(dialog.getByRole("form", { name: "Confirm it's you" })).toBeVisible();
  await expect(row.getByText(/^Locked/)).toBeVisible();
  await dialog.getByLabel("Code from your authenticator app").fill(await totp(org.owner));
  await dialog.getByRole("button", { name: "Verify and continue" }).click();
  await expect(dialog.getByText(`${org.employee.name} can sign in again. We emailed ${o.email}.`)).toBeVisible();
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(
    o.owner
      .getByRole("row")
      .filter({ hasText: o.email })
      .getByText(/^Locked/),
  ).toHaveCount(0);
  const unlockMail = await mailbox.latest(o.email, "account-unlocked");
  expect(unlockMail.payload).toMatchObject({ adminName: org.owner.name, factors: ["password"] });

  // Emma signs in at once, from the same network.
  await signIn(o.teammate, o.email, TEAMMATE_PASSWORD);
  await expect(o.teammate).toHaveURL(/\/dashboard$/);

  await o.owner.goto("/audit-log");
  await expect(
    o.owner.getByText(`${org.owner.name} unlocked password sign-in for ${org.employee.name}`).first(),
  ).toBeVisible();
});
