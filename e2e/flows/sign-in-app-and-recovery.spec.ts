// QA flow: a teammate with 2FA signs in with the authenticator app's code, then (phone lost) with a recovery code,
// which works once. Uses the `org`, `withTwoFactor`, `totp` and `signedIn` fixtures. No database access: @deployed.
import { expect, test } from "../fixtures";
import { signIn } from "../support";

test("sign in with the app's code, then with a recovery code that works only once @deployed", async ({
  org,
  withTwoFactor,
  totp,
  signedIn,
}) => {
  test.setTimeout(180_000);
  const tom = org.employee;
  await withTwoFactor(tom);

  // The app's code: signedIn enters it at the second step.
  const page = await signedIn("employee");
  await expect(page).toHaveURL(/\/dashboard$/);

  // Recovery codes are shown once, when they are (re)generated: take a fresh set.
  await page.goto("/profile/security/two-factor/recovery-codes");
  await page.getByLabel("Current password").fill(tom.password);
  await page.getByLabel("6-digit code from your app").fill(await totp(tom));
  await page.getByRole("button", { name: "Generate new codes" }).click();
  await expect(page.getByTestId("recovery-code")).toHaveCount(10); // allTextContents() does not wait for them
  const [first, second] = await page.getByTestId("recovery-code").allTextContents();
  await page.getByRole("link", { name: "I have saved my codes" }).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  const signInWithRecoveryCode = async (code: string) => {
    await signIn(page, tom.email, tom.password);
    await expect(page).toHaveURL(/\/sign-in\/verify/);
    await page.getByRole("radio", { name: "Recovery" }).check();
    await page.getByLabel("Recovery code").fill(code);
    await page.getByRole("button", { name: "Verify and sign in" }).click();
  };
  await signInWithRecoveryCode(String(first));
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByText("You signed in with a recovery code")).toBeVisible();
  await expect(page.getByText("9 of 10 recovery codes left.")).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  await signInWithRecoveryCode(String(first));
  await expect(page.getByText(/not valid or was already used/)).toBeVisible();
  await page.getByLabel("Recovery code").fill(String(second));
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
});
