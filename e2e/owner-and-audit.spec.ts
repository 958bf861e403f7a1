// Settings > Owner and the audit log end to end: a member sees who owns the organization; the owner of a fresh
// organization (the `org` fixture) hands it to an administrator who has 2FA (password + code); the audit log shows the transfer in words,
// filters by event type, and exports the filtered rows as CSV.
import { expect, test } from "./fixtures";
import { DEMO, query, screenshot, signedInPage } from "./support";

test("a member sees who the owner is, without the transfer controls", async ({ browser }) => {
  const { context, page } = await signedInPage(browser, DEMO.member);
  await page.goto("/settings/owner");
  const details = page.getByTestId("owner-details");
  await expect(details).toContainText("Olivia Owens");
  await expect(details).toContainText(DEMO.owner);
  await expect(page.getByText("Only the owner can transfer ownership to an administrator.")).toBeVisible();
  await expect(page.getByRole("form", { name: "Transfer ownership" })).toHaveCount(0);
  // The audit log is for administrators only.
  const response = await page.goto("/audit-log");
  expect(response?.status()).toBe(403);
  await context.close();
});

test("the owner transfers ownership to an admin with 2FA; the audit log shows it, filters it and exports it", async ({
  org,
  signedIn,
  withTwoFactor,
  totp,
  mailbox,
  axe,
}) => {
  test.setTimeout(240_000);
  const [ownerEmail, adminEmail] = [org.owner.email, org.admin.email];
  const [otto, ada] = [org.owner.name, org.admin.name];
  const owner = await signedIn("owner");

  // Without 2FA of their own, the owner is told to turn it on first.
  await owner.goto("/settings/owner");
  await expect(owner.getByText("Turn on two-factor authentication first")).toBeVisible();
  await withTwoFactor(org.owner, { page: owner });
  // The admin has no 2FA yet: nobody can receive ownership, and the page says why.
  await owner.goto("/settings/owner");
  await expect(owner.getByText("No administrator can receive ownership yet")).toBeVisible();
  await expect(owner.getByText(/1 administrator has not turned it on yet/)).toBeVisible();
  await screenshot(owner, "owner-transfer-no-candidates");
  await withTwoFactor(org.admin);
  const admin = await signedIn("admin");

  await owner.goto("/settings/owner");
  await screenshot(owner, "owner-transfer-choose");
  await axe(owner);
  await owner.getByLabel("New owner").selectOption({ label: `${ada} (${adminEmail})` });
  await owner.getByRole("button", { name: "Continue" }).click();
  await expect(owner.getByText(`Make ${ada} the owner?`)).toBeVisible();
  await expect(owner.getByText(/You become an administrator/)).toBeVisible();
  // Wrong password: a clear message on the field, nothing changes.
  await owner.getByLabel("Your current password").fill("not my password");
  await owner.getByLabel("6-digit code from your app").fill("000000");
  await owner.getByRole("button", { name: "Transfer ownership" }).click();
  await expect(owner.getByText("That password is not right.")).toBeVisible();
  await screenshot(owner, "owner-transfer");
  await axe(owner);
  await owner.getByLabel("Your current password").fill(org.owner.password);
  await owner.getByLabel("6-digit code from your app").fill(await totp(org.owner));
  await owner.getByRole("button", { name: "Transfer ownership" }).click();

  await expect(owner.getByRole("status").filter({ hasText: "Ownership transferred" })).toBeVisible();
  await expect(owner.getByTestId("owner-details")).toContainText(ada);
  await expect(owner.getByTestId("owner-details")).toContainText(adminEmail);
  await expect(owner.getByText("Only the owner can transfer ownership to an administrator.")).toBeVisible();
  await screenshot(owner, "owner-transferred");
  const rows = await query<{ email: string; role: string }>(
    `SELECT u.email, m.role FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = ANY($1) ORDER BY u.email`,
    [[ownerEmail, adminEmail]],
  );
  expect(Object.fromEntries(rows.map((r) => [r.email, r.role]))).toEqual({
    [ownerEmail]: "ADMIN",
    [adminEmail]: "OWNER",
  });
  await mailbox.latest(adminEmail, "ownership-transferred");
  await mailbox.latest(ownerEmail, "ownership-transferred");

  // The new owner sees the transfer card; the old owner (an admin now) reads the audit log.
  await admin.goto("/settings/owner");
  await expect(admin.getByRole("heading", { name: "Transfer ownership" })).toBeVisible();

  await owner.goto("/audit-log");
  const sentence = `${otto} transferred ownership of the organization to ${ada}`;
  await expect(owner.getByText(sentence)).toBeVisible();
  await owner.getByLabel("Event type").selectOption({ label: "Ownership transferred" });
  await owner.getByRole("button", { name: "Apply filters" }).click();
  await expect(owner).toHaveURL(/type=ownership\.transferred/);
  await expect(owner.getByTestId("audit-row")).toHaveCount(1);
  await expect(owner.getByTestId("audit-row")).toContainText(sentence);
  await screenshot(owner, "audit-log");
  await axe(owner);

  // The CSV export carries exactly the filtered rows.
  const [download] = await Promise.all([
    owner.waitForEvent("download"),
    owner.getByRole("link", { name: "Export filtered CSV" }).click(),
  ]);
  const csv = await (await download.createReadStream()).toArray();
  const lines = Buffer.concat(csv).toString("utf8").trim().split("\r\n");
  expect(lines).toHaveLength(2);
  expect(lines[0]).toContain('"time","event","type","actor"');
  expect(lines[1]).toContain(`"${sentence}","ownership.transferred","${otto}","${ada}",`);
  expect(lines[1]).toContain(`"${ownerEmail}","${adminEmail}"`);

  // No match: a clear empty state with a way back.
  await owner.getByLabel("Done by").fill("nobody-by-this-name");
  await owner.getByRole("button", { name: "Apply filters" }).click();
  await expect(owner.getByText("No events match these filters")).toBeVisible();
  await screenshot(owner, "audit-log-no-match");
  await owner.getByRole("link", { name: "Clear filters" }).first().click();
  await expect(owner).toHaveURL(/\/audit-log$/);
  await expect(owner.getByText(sentence)).toBeVisible();

  // Pages: 60 older sign-ins of the new owner; the first page ends with "Older events", the second links to "Newest".
  await query(
    `INSERT INTO "AuditEvent" (id, "organizationId", "actorId", "targetId", type, ip, "userAgent", metadata, "createdAt")
     SELECT md5(random()::text), m."organizationId", m."userId", m."userId", 'signin.succeeded', '198.51.100.' || g, 'curl/8.5',
            '{}'::jsonb, now() - make_interval(days => 1, mins => g)
     FROM "Membership" m JOIN "User" u ON u.id = m."userId", generate_series(1, 60) g WHERE u.email = $1`,
    [adminEmail],
  );
  await owner.goto("/audit-log");
  await expect(owner.getByTestId("audit-row")).toHaveCount(50);
  await owner.getByRole("link", { name: "Older events" }).click();
  await expect(owner).toHaveURL(/before=/);
  await expect(owner.getByRole("link", { name: "Newest" })).toBeVisible();
  await expect(owner.getByTestId("audit-row").first()).toBeVisible();
  await screenshot(owner, "audit-log-older");
  await owner.getByRole("link", { name: "Newest" }).click();
  await expect(owner.getByText(sentence)).toBeVisible();
});
