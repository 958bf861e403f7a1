// Admin row actions on a teammate's 2FA (issue 5): reset with step-up and the emailed re-enrolment link, recovery
// codes emailed to the teammate, reminders and exemptions. Each test has its own organization (the `org` fixture): the
// owner and their teammate Emma (org.employee).
import type { Page } from "@playwright/test";
import { expect, type Org, type Role, test } from "./fixtures";
import { query, screenshot, signIn } from "./support";

/** The owner, signed in, turns on 2FA in that very session: enrolling never counts as a step-up (S39), so each admin
 *  action below asks for the owner's fresh code. */
async function ownerWithTwoFactor(
  org: Org,
  signedIn: (role: Role) => Promise<Page>,
  withTwoFactor: (user: Org["owner"], opts: { page: Page }) => Promise<string>,
) {
  const owner = await signedIn("owner");
  await withTwoFactor(org.owner, { page: owner });
  return owner;
}

/** The open dialog, after checking its title. Its title changes once the action succeeded. */
async function openDialog(page: Page, title: string) {
  await expect(page.getByRole("dialog", { name: title })).toBeVisible();
  return page.locator("dialog[open]");
}

/** Opens the 2FA actions of the row showing `email` and picks `item`. */
async function rowAction(page: Page, email: string, item: string) {
  await page.goto("/settings/users");
  const row = page.getByRole("row").filter({ hasText: email });
  await row.getByRole("button", { name: /^2FA actions/ }).click();
  await page.getByRole("button", { name: item, exact: true }).click();
}

test("reset: step-up asked, the teammate is signed out, re-enrols through the emailed link", async ({
  browser,
  org,
  signedIn,
  withTwoFactor,
  totp,
  mailbox,
  axe,
}) => {
  test.setTimeout(240_000);
  const owner = await ownerWithTwoFactor(org, signedIn, withTwoFactor);
  await withTwoFactor(org.employee);
  const teammate = await signedIn("employee");
  const o = { owner, teammate, email: org.employee.email };
  const [ana, tom] = [org.owner.name, org.employee.name];
  // The owner's only second-factor check was enrolling their app, which never counts as a step-up (S39): asked.

  await rowAction(o.owner, o.email, "Reset 2FA");
  const dialog = await openDialog(o.owner, `Reset two-factor authentication for ${tom}?`);
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText(/sign them out of every session/)).toBeVisible();
  await screenshot(o.owner, "reset-dialog");
  await axe(o.owner, { within: "dialog[open]" });
  await dialog.getByRole("button", { name: "Reset 2FA" }).click();

  // S26: the admin's own code first; a wrong one is refused in place.
  const code = dialog.getByLabel("Code from your authenticator app");
  await expect(code).toBeVisible();
  await code.fill("000000");
  await dialog.getByRole("button", { name: "Verify and continue" }).click();
  await expect(dialog.getByText(/That code is not right/)).toBeVisible();
  await screenshot(o.owner, "reset-step-up");
  await axe(o.owner, { within: "dialog[open]" });
  await code.fill(await totp(org.owner));
  await dialog.getByRole("button", { name: "Verify and continue" }).click();
  await expect(dialog.getByText(`Two-factor authentication for ${tom} was reset`, { exact: false })).toBeVisible();
  await expect(dialog.getByRole("heading", { name: "Two-factor authentication reset" })).toBeVisible();
  await screenshot(o.owner, "reset-done");
  await dialog.getByRole("button", { name: "Close" }).click();

  // The teammate's old browser session is gone.
  await o.teammate.goto("/dashboard");
  await expect(o.teammate).toHaveURL(/\/sign-in/);

  // The emailed link: password, then straight into setup, signed in.
  const mail = await mailbox.latest(o.email, "two-factor-reset");
  const link = new URL(String(mail.payload.reEnrollUrl)).pathname;
  expect(link).toMatch(/^\/re-enroll\/[A-Za-z0-9_-]{40,}$/);
  await o.teammate.goto(link);
  await expect(o.teammate.getByRole("heading", { name: "Set up two-factor authentication again" })).toBeVisible();
  await o.teammate.getByLabel("Password", { exact: true }).fill("not my password");
  await o.teammate.getByRole("button", { name: "Continue to setup" }).click();
  await expect(o.teammate.getByText("That password is not right.")).toBeVisible();
  await screenshot(o.teammate, "re-enroll");
  await o.teammate.getByLabel("Password", { exact: true }).fill(org.employee.password);
  await o.teammate.getByRole("button", { name: "Continue to setup" }).click();
  await expect(o.teammate).toHaveURL(/\/profile\/security\/two-factor\/setup$/);
  await o.teammate.getByRole("button", { name: "Show QR code" }).click();
  const newSecret = ((await o.teammate.getByTestId("manual-key").textContent()) ?? "").replaceAll(" ", "");
  const passwordField = o.teammate.getByLabel("Current password");
  if (await passwordField.count()) await passwordField.fill(org.employee.password);
  await o.teammate.getByLabel("6-digit code from the app").fill(await totp(newSecret));
  await o.teammate.getByRole("button", { name: "Turn on two-factor authentication" }).click();
  await expect(o.teammate.getByRole("heading", { name: "Two-factor authentication is on" })).toBeVisible();

  // The new authenticator works for sign-in.
  await o.teammate.goto("/dashboard");
  await o.teammate.getByRole("button", { name: "Sign out" }).click();
  // Wait for sign-out to finish: navigating away mid-request would abort it and /sign-in would bounce to /dashboard.
  await expect(o.teammate).toHaveURL(/\/sign-in/);
  await signIn(o.teammate, o.email, org.employee.password);
  await expect(o.teammate).toHaveURL(/\/sign-in\/verify/);
  await o.teammate.getByLabel("Authentication code").fill(await totp(newSecret));
  await o.teammate.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(o.teammate).toHaveURL(/\/dashboard$/);

  // The link works once.
  const again = await browser.newContext();
  const p = await again.newPage();
  await p.goto(link);
  await expect(p.getByText(/already been used/)).toBeVisible();
  await screenshot(p, "re-enroll-used");

  await o.owner.goto("/audit-log");
  await expect(o.owner.getByText(`${ana} reset ${tom}'s two-factor authentication`).first()).toBeVisible();
  await expect(
    o.owner.getByText(`${tom} used the emailed reset link to set up two-factor authentication again`).first(),
  ).toBeVisible();
  await again.close();
});

test("recovery codes go to the teammate only, who signs in with one of them", async ({
  org,
  signedIn,
  withTwoFactor,
  totp,
  mailbox,
}) => {
  test.setTimeout(180_000);
  const owner = await ownerWithTwoFactor(org, signedIn, withTwoFactor);
  await withTwoFactor(org.employee);
  const teammate = await signedIn("employee");
  const o = { owner, teammate, email: org.employee.email };
  const [ana, tom] = [org.owner.name, org.employee.name];
  await rowAction(o.owner, o.email, "Issue new recovery codes");
  const dialog = await openDialog(o.owner, `Issue new recovery codes for ${tom}?`);
  await screenshot(o.owner, "issue-codes-dialog");
  // S27: every response the admin's browser receives while issuing, checked below for the codes.
  const bodies: Promise<string>[] = [];
  o.owner.on("response", (r) => {
    if (r.request().method() === "POST") bodies.push(r.text().catch(() => ""));
  });
  await dialog.getByRole("button", { name: "Issue and email codes" }).click();
  // Enrolling the owner's app was no step-up (S39): the owner's own code first.
  await dialog.getByLabel("Code from your authenticator app").fill(await totp(org.owner));
  await dialog.getByRole("button", { name: "Verify and continue" }).click();
  await expect(dialog.getByText(`10 new recovery codes were emailed to ${o.email}.`, { exact: false })).toBeVisible();
  await screenshot(o.owner, "issue-codes-done");

  const mail = await mailbox.latest(o.email, "recovery-codes-issued");
  const codes = mail.payload.codes as string[];
  expect(codes).toHaveLength(10);
  // S27: none of them ever reached the admin's page.
  const seen = [await o.owner.content(), ...(await Promise.all(bodies))].join("\n");
  expect(bodies.length).toBeGreaterThan(0);
  for (const c of codes) expect(seen).not.toContain(c);

  await o.teammate.goto("/dashboard");
  await o.teammate.getByRole("button", { name: "Sign out" }).click();
  // Wait for sign-out to finish: navigating away mid-request would abort it and /sign-in would bounce to /dashboard.
  await expect(o.teammate).toHaveURL(/\/sign-in/);
  await signIn(o.teammate, o.email, org.employee.password);
  await o.teammate.getByRole("radio", { name: "Recovery" }).check();
  await o.teammate.getByLabel("Recovery code").fill(codes[3] as string);
  await o.teammate.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(o.teammate).toHaveURL(/\/dashboard$/);
  await expect(o.teammate.getByText("9 of 10 recovery codes left.")).toBeVisible();

  await o.owner.goto("/audit-log");
  await expect(o.owner.getByText(`${tom} signed in with a recovery code (9 left)`).first()).toBeVisible();
  await expect(o.owner.getByText(`${ana} emailed new recovery codes to ${tom}`).first()).toBeVisible();
  await screenshot(o.owner, "audit-log-admin-actions");
});

test("reminder (once an hour) and a time-limited exemption for a teammate without 2FA", async ({
  org,
  signedIn,
  withTwoFactor,
  totp,
  mailbox,
  axe,
}) => {
  test.setTimeout(120_000);
  const owner = await ownerWithTwoFactor(org, signedIn, withTwoFactor);
  const o = { owner, email: org.employee.email, ownerEmail: org.owner.email };
  const [ana, tom] = [org.owner.name, org.employee.name];

  // Without 2FA there is nothing to reset or replace: shown, disabled, with the reason.
  await o.owner.goto("/settings/users");
  await o.owner
    .getByRole("row")
    .filter({ hasText: o.email })
    .getByRole("button", { name: /^2FA actions/ })
    .click();
  await expect(o.owner.getByRole("button", { name: "Reset 2FA", exact: true })).toBeDisabled();
  await expect(o.owner.getByRole("button", { name: "Issue new recovery codes", exact: true })).toBeDisabled();
  await expect(o.owner.getByText("They have not set up two-factor authentication.").first()).toBeVisible();
  await screenshot(o.owner, "actions-menu");
  await axe(o.owner, { within: "[popover]" });

  await rowAction(o.owner, o.email, "Send 2FA reminder");
  let dialog = await openDialog(o.owner, `Remind ${tom} to set up two-factor authentication?`);
  await dialog.getByRole("button", { name: "Send reminder" }).click();
  await expect(dialog.getByText(`Reminder sent to ${o.email}.`)).toBeVisible();
  const mail = await mailbox.latest(o.email, "two-factor-reminder");
  expect(String(mail.payload.setupUrl)).toMatch(/\/profile\/security\/two-factor\/setup$/);
  await dialog.getByRole("button", { name: "Close" }).click();
  await rowAction(o.owner, o.email, "Send 2FA reminder");
  dialog = await openDialog(o.owner, `Remind ${tom} to set up two-factor authentication?`);
  await dialog.getByRole("button", { name: "Send reminder" }).click();
  await expect(dialog.getByText(/already sent to this teammate in the last hour/)).toBeVisible();
  await screenshot(o.owner, "reminder-rate-limited");
  await dialog.getByRole("button", { name: "Cancel" }).click();

  await rowAction(o.owner, o.email, "Exempt from 2FA requirement");
  dialog = await openDialog(o.owner, `Exempt ${tom} from two-factor authentication`);
  await dialog.getByLabel("Days (1–30)").fill("45");
  await dialog.getByRole("button", { name: "Grant exemption" }).click();
  await expect(dialog.getByText("Exemptions last at most 30 days.")).toBeVisible();
  await expect(dialog.getByText("Say why (at least 3 characters).")).toBeVisible();
  await dialog.getByLabel("Days (1–30)").fill("5");
  await dialog.getByLabel("Reason").fill("New phone arrives next week");
  await screenshot(o.owner, "exempt-dialog");
  await axe(o.owner, { within: "dialog[open]" });
  await dialog.getByRole("button", { name: "Grant exemption" }).click();
  // S42: an exemption weakens the requirement: the owner's own code first, in the same dialog (the one step-up form).
  await expect(dialog.getByRole("form", { name: "Confirm it's you" })).toBeVisible();
  await dialog.getByLabel("Code from your authenticator app").fill("000000");
  await dialog.getByRole("button", { name: "Verify and continue" }).click();
  await expect(dialog.getByText(/That code is not right/)).toBeVisible();
  await screenshot(o.owner, "exempt-step-up");
  await axe(o.owner, { within: "dialog[open]" });
  await dialog.getByLabel("Code from your authenticator app").fill(await totp(org.owner));
  await dialog.getByRole("button", { name: "Verify and continue" }).click();
  await expect(dialog.getByText(`${tom} is exempt until`, { exact: false })).toBeVisible();
  await dialog.getByRole("button", { name: "Close" }).click();
  const [row] = await query<{ days: number }>(
    `SELECT round(extract(epoch FROM m."twoFactorExemptUntil" - now()) / 86400)::int AS days
     FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = $1`,
    [o.email],
  );
  expect(row?.days).toBe(5);

  await rowAction(o.owner, o.email, "Remove exemption");
  dialog = await openDialog(o.owner, `Remove ${tom}'s exemption?`);
  await dialog.getByRole("button", { name: "Remove exemption" }).click();
  await expect(dialog.getByText(`${tom} is no longer exempt from two-factor authentication.`)).toBeVisible();
  await dialog.getByRole("button", { name: "Close" }).click();

  // No actions on the owner's own row or on yourself.
  const ownRow = o.owner.getByRole("row").filter({ hasText: o.ownerEmail });
  await expect(ownRow.getByRole("button", { name: /^2FA actions/ })).toHaveCount(0);
  await screenshot(o.owner, "users-with-actions");
  await o.owner.goto("/audit-log");
  await expect(o.owner.getByText(`${ana} reminded ${tom} to set up two-factor authentication`).first()).toBeVisible();
  await expect(
    o.owner.getByText(`${ana} exempted ${tom} from two-factor authentication for 5 days`, { exact: false }).first(),
  ).toBeVisible();

  // Bad input: the teammate is removed while the admin's page is open: a clear message, nothing sent.
  await rowAction(o.owner, o.email, "Send 2FA reminder");
  dialog = await openDialog(o.owner, `Remind ${tom} to set up two-factor authentication?`);
  await query(`UPDATE "Membership" SET status = 'REMOVED' WHERE "userId" = (SELECT id FROM "User" WHERE email = $1)`, [
    o.email,
  ]);
  await dialog.getByRole("button", { name: "Send reminder" }).click();
  await expect(dialog.getByText(/no longer a member of the organization/)).toBeVisible();
  const [count] = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "OutboxMessage" WHERE "to" = $1 AND template = 'two-factor-reminder'`,
    [o.email],
  );
  expect(count?.n).toBe(1);
});

test("promotion to Administrator: a confirmation saying what an administrator can do, then the owner's step-up", async ({
  org,
  signedIn,
  withTwoFactor,
  totp,
  axe,
}) => {
  test.setTimeout(120_000);
  const owner = await ownerWithTwoFactor(org, signedIn, withTwoFactor);
  const o = { owner, email: org.employee.email };
  const tom = org.employee.name;
  const roleOf = async () =>
    (
      await query<{ role: string }>(
        `SELECT m.role FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = $1`,
        [o.email],
      )
    )[0]?.role;
  await o.owner.goto("/settings/users");
  const select = o.owner.getByLabel(`Role of ${tom}`);
  await select.selectOption("ADMIN");
  let dialog = await openDialog(o.owner, `Make ${tom} an administrator?`);
  await expect(dialog.getByText("reset a teammate's two-factor authentication", { exact: false })).toBeVisible();
  await expect(
    dialog.getByText("change or turn off the organization's security rules", { exact: false }),
  ).toBeVisible();
  await expect(select).toHaveValue("MEMBER"); // nothing changes before the confirmation
  await screenshot(o.owner, "promote-dialog");
  await axe(o.owner, { within: "dialog[open]" });
  // Cancel: still a member.
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(o.owner.getByRole("dialog")).toHaveCount(0);
  expect(await roleOf()).toBe("MEMBER");

  await select.selectOption("ADMIN");
  dialog = await openDialog(o.owner, `Make ${tom} an administrator?`);
  await dialog.getByRole("button", { name: "Make administrator" }).click();
  // S42: promotion needs the owner's fresh second factor (enrolling the app did not count, S39).
  await dialog.getByLabel("Code from your authenticator app").fill(await totp(org.owner));
  await screenshot(o.owner, "promote-step-up");
  await dialog.getByRole("button", { name: "Verify and continue" }).click();
  await expect(dialog.getByRole("heading", { name: `${tom} is now an administrator` })).toBeVisible();
  await dialog.getByRole("button", { name: "Close" }).click();
  expect(await roleOf()).toBe("ADMIN");
  await expect(o.owner.getByLabel(`Role of ${tom}`)).toHaveValue("ADMIN");

  // Demotion (it tightens) applies at once, without a step-up or a dialog.
  await o.owner.getByLabel(`Role of ${tom}`).selectOption("MEMBER");
  await expect(o.owner.getByText("Saved")).toBeVisible();
  expect(await roleOf()).toBe("MEMBER");
});
