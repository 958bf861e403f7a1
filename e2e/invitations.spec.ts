import { expect, test } from "./fixtures";
import { DEMO, query, screenshot, signedInPage, uniqueEmail } from "./support";

test("an admin invites a contractor; the invitee sets a password and joins; the link works once", async ({
  browser,
  mailbox,
}) => {
  test.setTimeout(120_000); // three browsers and nine page loads: room on a loaded 2-core machine
  const { context: admin, page } = await signedInPage(browser, DEMO.admin);
  const email = uniqueEmail("newhire");
  await page.goto("/settings/users");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption("MEMBER");
  await page.getByLabel("Type", { exact: true }).selectOption("CONTRACTOR");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText(/invitation sent/i)).toBeVisible();
  await expect(page.getByRole("cell", { name: email })).toBeVisible(); // pending invitations
  await screenshot(page, "users-with-pending-invitation");

  const mail = await mailbox.latest(email, "invitation");
  const acceptUrl = String(mail.payload.acceptUrl);
  expect(acceptUrl).toMatch(/\/invite\/[A-Za-z0-9_-]{32,}$/);

  const invitee = await browser.newContext();
  const p = await invitee.newPage();
  await p.goto(new URL(acceptUrl).pathname);
  await expect(p.getByText(/Acme Inc/).first()).toBeVisible();
  await screenshot(p, "accept-invitation");
  await p.getByLabel("Your name").fill("Nina Newhire");
  await p.getByLabel("Choose a password").fill("nina's long password");
  await p.getByRole("button", { name: "Set password and join" }).click();
  await expect(p).toHaveURL(/\/dashboard$/);
  await expect(p.getByRole("heading", { name: "Welcome, Nina" })).toBeVisible();

  const [membership] = await query<{ role: string; type: string }>(
    `SELECT m.role, m.type FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = $1`,
    [email],
  );
  expect(membership).toEqual({ role: "MEMBER", type: "CONTRACTOR" });

  // The admin sees the new teammate; the invitation is no longer pending.
  await page.reload();
  await expect(page.getByRole("rowheader", { name: /^Nina Newhire/ })).toBeVisible(); // the row header: name over email

  // A second use of the same link is refused with a clear message.
  const again = await browser.newContext();
  const p2 = await again.newPage();
  await p2.goto(new URL(acceptUrl).pathname);
  await expect(p2.getByText(/already been used|no longer valid|expired/i).first()).toBeVisible();

  // The audit log shows the invitation and its acceptance in readable words.
  await page.goto("/audit-log");
  await expect(page.getByText(new RegExp(`invited ${email.replace(/[.]/g, "\\.")}`, "i")).first()).toBeVisible();
  await expect(page.getByText(/Nina Newhire accepted/i).first()).toBeVisible();
  await screenshot(page, "audit-log");
  await Promise.all([admin.close(), invitee.close(), again.close()]);
});

test("promotion asks for a confirmation and the admin's own 2FA; the owner's role cannot be changed from the table", async ({
  browser,
}) => {
  // The demo owner has no 2FA: promotion (S42) needs a step-up they cannot give, and the dialog says what to do.
  const { context, page } = await signedInPage(browser, DEMO.owner);
  await page.goto("/settings/users");
  const select = page.getByLabel("Role of Diego Ramos");
  await select.selectOption("ADMIN");
  const dialog = page.locator("dialog[open]");
  await expect(page.getByRole("dialog", { name: "Make Diego Ramos an administrator?" })).toBeVisible();
  await dialog.getByRole("button", { name: "Make administrator" }).click();
  // Told to set up 2FA first, with the way there, instead of being asked for a code they cannot have (issue 10 item 9).
  await expect(dialog.getByText(/you have not set it up yet\. Set up an authenticator app/)).toBeVisible();
  await expect(dialog.getByRole("link", { name: "Set up two-factor authentication" })).toHaveAttribute(
    "href",
    "/profile/security/two-factor/setup",
  );
  await dialog.getByRole("button", { name: "Cancel" }).click();
  const [row] = await query<{ role: string }>(
    `SELECT m.role FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = $1`,
    [DEMO.contractor],
  );
  expect(row?.role).toBe("MEMBER");
  await expect(select).toHaveValue("MEMBER");
  await expect(page.getByLabel("Role of Olivia Owens")).toHaveCount(0);
  await context.close();
});

test("an invalid invitation link shows a clear message", async ({ page }) => {
  await page.goto("/invite/not-a-real-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  await expect(page.getByText(/no longer valid|not valid|expired|invalid/i).first()).toBeVisible();
});
