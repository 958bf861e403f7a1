// Trusted networks (issue 11 items 1, 4, 5; S29–S31): an administrator of a Professional organization trusts the
// network the browser signs in from; a member with 2FA then signs in without the code and confirms with a code before
// a security change; an administrator signed in that way confirms before Settings > Organization security opens; a
// member without 2FA in an organization that requires it still lands on the setup page. The server sees the browser's
// socket address (127.0.0.1 or ::1): no header is involved, and no test-only switch exists.
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { query, screenshot } from "./support";

test.use({ orgPlan: "PROFESSIONAL" });

async function shot(page: Page, name: string) {
  await screenshot(page, `trusted-${name}`);
}

test("an admin trusts this network; a member then signs in without the code and confirms before security changes", async ({
  org,
  withTwoFactor,
  signedIn,
  totp,
  axe,
}) => {
  test.setTimeout(240_000);
  await withTwoFactor(org.admin);
  await withTwoFactor(org.employee);

  // The admin (signed in with a code just now: a fresh step-up) opens the section.
  const admin = await signedIn("admin");
  await admin.goto("/settings/security");
  await expect(admin.getByRole("heading", { name: "Trusted networks" })).toBeVisible();
  await expect(admin.getByText("No trusted networks yet: every sign-in asks for the code.")).toBeVisible();
  const current = admin.getByText(/^Your current address:/);
  await expect(current).toBeVisible();
  const address = ((await current.textContent()) ?? "").replace("Your current address:", "").trim();
  expect(address).toMatch(/^(127\.0\.0\.1|::1)$/);
  await admin.getByRole("heading", { name: "Trusted networks" }).scrollIntoViewIfNeeded();
  await shot(admin, "01-settings-empty");

  // Inline validation: too broad, then a zone id; nothing is saved.
  const form = admin.getByRole("form", { name: "Add a trusted network" });
  await form.getByLabel("Name").fill("Everything");
  await form.getByLabel("IP address or range").fill("10.0.0.0/7");
  await form.getByRole("button", { name: "Add network" }).click();
  await expect(form.getByText(/\/7 is too broad: trust at most a \/8 of IPv4/).first()).toBeVisible();
  await form.getByLabel("IP address or range").fill("fe80::1%eth0");
  await expect(form.getByText(/Zone ids/).first()).toBeVisible();
  await shot(admin, "02-settings-inline-error");

  // "Use my current address", a name, add.
  await form.getByLabel("Name").fill("Test office");
  await form.getByRole("button", { name: "Use my current address" }).click();
  await expect(form.getByLabel("IP address or range")).toHaveValue(address);
  await expect(admin.getByTestId("candidate-preview")).toContainText(/sign-ins? (so far )?came from/);
  await form.getByRole("button", { name: "Add network" }).click();
  await expect(admin.getByText("Network added")).toBeVisible();
  const table = admin.getByRole("table", { name: "Trusted networks" });
  await expect(table.getByRole("cell", { name: "Test office", exact: true })).toBeVisible();
  await expect(table.getByRole("cell", { name: address.includes(":") ? "::1/128" : "127.0.0.1/32" })).toBeVisible();
  await expect(admin.getByText(/\(trusted: Test office\)/)).toBeVisible();
  await expect(admin.getByTestId("trusted-preview")).toContainText(/came from these networks/);
  await axe(admin);
  await shot(admin, "03-settings-with-network");

  // Keyboard: the remove button opens the confirmation, the safe choice has the focus, Escape closes it.
  await table.getByRole("button", { name: "Remove Test office" }).focus();
  await admin.keyboard.press("Enter");
  const dialog = admin.getByRole("dialog", { name: "Remove Test office?" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Keep it" })).toBeFocused();
  await shot(admin, "04-remove-confirmation");
  await admin.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(table.getByRole("cell", { name: "Test office", exact: true })).toBeVisible();

  // The member with 2FA signs in from here: no code asked.
  const member = await signedIn("employee");
  await expect(member).toHaveURL(/\/dashboard$/);
  await expect(member.getByText("Signed in without a code")).toBeVisible();
  await expect(member.getByText(/You signed in from a trusted network\./)).toBeVisible();
  await shot(member, "05-member-dashboard-banner");
  // A security change of their own: first "confirm it's you", then the page they asked for.
  await member.goto("/profile/security/password");
  await expect(member).toHaveURL(/\/profile\/step-up\?callbackUrl=%2Fprofile%2Fsecurity%2Fpassword$/);
  await expect(member.getByRole("heading", { name: "Confirm it's you" })).toBeVisible();
  await expect(member.getByText(/You signed in from a trusted network/)).toBeVisible();
  await shot(member, "06-member-step-up");
  await member.getByLabel("Code from your authenticator app").fill(await totp(org.employee));
  await member.getByRole("button", { name: "Verify and continue" }).click();
  await expect(member).toHaveURL(/\/profile\/security\/password$/);
  await expect(member.getByRole("heading", { name: "Change password" })).toBeVisible();
  await expect(member.getByText("Signed in without a code")).toBeHidden(); // confirmed: no more banner

  // The administrator signs in again from here (a new browser): no code, and Organization security waits for one.
  const admin2 = await signedIn("admin");
  await expect(admin2).toHaveURL(/\/dashboard$/);
  await admin2.goto("/settings/security");
  await expect(admin2).toHaveURL(/\/profile\/step-up\?callbackUrl=%2Fsettings%2Fsecurity$/);
  // Every admin page does (the audit log here); one step-up, and the page asked for opens.
  await admin2.goto("/audit-log");
  await expect(admin2).toHaveURL(/\/profile\/step-up\?callbackUrl=%2Faudit-log$/);
  await admin2.getByLabel("Code from your authenticator app").fill(await totp(org.admin));
  await admin2.getByRole("button", { name: "Verify and continue" }).click();
  await expect(admin2).toHaveURL(/\/audit-log$/);
  // The audit log tells the skipped prompts in words.
  await expect(
    admin2.getByText(/signed in without a code: from the trusted network Test office/).first(),
  ).toBeVisible();
  await expect(admin2.getByText(/added the trusted network Test office/).first()).toBeVisible();
  await shot(admin2, "07-audit-log");
  await admin2.goto("/settings/security");
  await expect(admin2.getByRole("heading", { name: "Trusted networks" })).toBeVisible();
});

test("a member without 2FA in an organization that requires it is still sent to setup from a trusted network", async ({
  org,
  signedIn,
}) => {
  // The organization's policy and network, written as the services would have (the UI of both is covered above and in
  // org-security.spec.ts); both addresses the browser may come from are trusted.
  await query(
    `UPDATE "Organization" SET "requireTwoFactor" = true, "enforcementMode" = 'NEXT_SIGN_IN', "requiredSince" = now(),
       "modeSince" = now(), "policyVersion" = "policyVersion" + 1
     WHERE id = (SELECT "organizationId" FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = $1)`,
    [org.owner.email],
  );
  for (const cidr of ["127.0.0.1/32", "::1/128"])
    await query(
      `INSERT INTO "TrustedNetwork" (id, "organizationId", cidr, label)
       SELECT $2 || substr(md5(random()::text), 1, 12), "organizationId", $2, 'Office'
       FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = $1`,
      [org.owner.email, cidr],
    );
  const client = await signedIn("client");
  await expect(client).toHaveURL(/\/profile\/security\/two-factor\/setup$/);
  const skipped = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "AuditEvent" a JOIN "User" u ON u.id = a."actorId"
     WHERE u.email = $1 AND a.type = 'signin.second_step_skipped'`,
    [org.client.email],
  );
  expect(skipped[0]?.n).toBe(0);
});

test.describe("on the Free plan", () => {
  test.use({ orgPlan: "FREE" });
  test("the section explains the plan and offers no form", async ({ signedIn, axe }) => {
    const owner = await signedIn("owner");
    await owner.goto("/settings/security");
    await expect(owner.getByRole("heading", { name: "Trusted networks" })).toBeVisible();
    await expect(owner.getByText("Not included in the Free plan")).toBeVisible();
    await expect(owner.getByRole("link", { name: "Request an upgrade from the dashboard" })).toBeVisible();
    await expect(owner.getByRole("form", { name: "Add a trusted network" })).toHaveCount(0);
    await axe(owner);
    await owner.getByRole("heading", { name: "Trusted networks" }).scrollIntoViewIfNeeded();
    await shot(owner, "08-free-plan");
  });
});
