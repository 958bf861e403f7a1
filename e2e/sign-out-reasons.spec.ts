// Say why someone was signed out (issue 10 item 4) and admins sign a teammate out everywhere (item 3), in a real
// browser: the signed-out person's own browser lands on the sign-in page with the reason, read from the session its
// cookie points to; another browser, or a crafted link, shows nothing. Screenshots: signout-*.png.
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { openDialogWith, query, screenshot } from "./support";

const shot = (page: Page, name: string) => screenshot(page, `signout-${name}`, { fullPage: false });

/** The notice on the sign-in page after `page` asks for a console page with its ended session. */
async function expectReason(page: Page, words: string | RegExp, code: string) {
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fdashboard$/);
  const notice = page.getByRole("alert").filter({ hasText: "You were signed out" });
  await expect(notice).toContainText(words);
  await expect(page.getByTestId("sign-out-reason")).toHaveAttribute("data-reason", code);
}

test.describe("sign-out reasons", () => {
  test("an admin signs a teammate out everywhere: step-up, the teammate's browser says why, 2FA untouched, mail", async ({
    org,
    withTwoFactor,
    signedIn,
    mailbox,
    browser,
    axe,
  }) => {
    test.setTimeout(180_000);
    const tom = org.employee;
    await withTwoFactor(org.admin);
    await withTwoFactor(tom);
    const tomsLaptop = await signedIn("employee");
    const tomsPhone = await signedIn("employee");
    const admin = await signedIn("admin");

    await admin.goto("/settings/users");
    await admin
      .getByRole("row")
      .filter({ hasText: tom.email })
      .getByRole("button", { name: /^2FA actions/ })
      .click();
    await admin.getByRole("button", { name: "Sign out everywhere", exact: true }).click();
    const dialog = admin.locator("dialog[open]");
    await expect(dialog.getByRole("heading", { name: `Sign ${tom.name} out everywhere?` })).toBeVisible();
    await expect(dialog).toContainText("their password, two-factor authentication and recovery codes stay as they are");
    await axe(admin, { within: "dialog[open]" });
    await shot(admin, "admin-confirm");
    await dialog.getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(dialog.getByRole("heading", { name: "Signed out everywhere" })).toBeVisible();
    // His two browsers, and the one the 2FA setup used (closed, never signed out).
    await expect(dialog).toContainText(`${tom.name} was signed out everywhere (3 sessions). We emailed ${tom.email}.`);

    // Both of Tom's browsers say why; the admin stays signed in.
    for (const page of [tomsLaptop, tomsPhone])
      await expectReason(page, "An administrator signed you out of all devices.", "signed_out_by_admin");
    await axe(tomsLaptop);
    await shot(tomsLaptop, "admin-signed-out");
    await admin.goto("/settings/users");
    await expect(admin).toHaveURL(/\/settings\/users$/);

    // A browser that never held Tom's session, even with a crafted link, shows no reason.
    const stranger = await (await browser.newContext()).newPage();
    await stranger.goto("/sign-in?reason=signed_out_by_admin&revokedReason=signed_out_by_admin");
    await expect(stranger.getByRole("heading", { name: "Sign in to Twofold" })).toBeVisible();
    await expect(stranger.getByTestId("sign-out-reason")).toHaveCount(0);
    await stranger.context().close();

    const mail = await mailbox.latest(tom.email, "signed-out-by-admin");
    expect(mail.subject).toBe(`An administrator of ${org.name} signed you out of all devices`);
    expect(mail.text).toContain(`${org.admin.name}, an administrator of ${org.name}, signed you out`);

    // Nothing else changed: Tom signs in again with the same authenticator (the fixture enters his code).
    const again = await signedIn("employee");
    await expect(again).not.toHaveURL(/\/sign-in/);
  });

  test("another device signed this browser out", async ({ signedIn }) => {
    const here = await signedIn("employee");
    const elsewhere = await signedIn("employee");
    await here.goto("/profile/security");
    await here.getByRole("button", { name: "Sign out all other sessions" }).click();
    await here.getByRole("button", { name: "Sign out other sessions" }).click();
    await expect(here.getByRole("button", { name: "Sign out all other sessions" })).toHaveCount(0);
    await expectReason(elsewhere, "This browser was signed out from another of your devices.", "signed_out_elsewhere");
    await shot(elsewhere, "elsewhere");
    // The browser that did it stays signed in.
    await here.goto("/dashboard");
    await expect(here).toHaveURL(/\/dashboard$/);
  });

  test.describe("on a paid plan", () => {
    test.use({ orgPlan: "PROFESSIONAL" });

    test("the organization requires 2FA now: a member without it is told why, then sets it up", async ({
      org,
      withTwoFactor,
      signedIn,
    }) => {
      test.setTimeout(180_000);
      await withTwoFactor(org.owner);
      const tom = await signedIn("employee");
      const owner = await signedIn("owner");
      await owner.goto("/settings/security");
      const dialog = await openDialogWith(
        owner.getByRole("button", { name: "Review impact and turn on" }),
        owner.getByRole("dialog", { name: "Require two-factor authentication?" }),
      );
      await dialog.getByRole("radio", { name: "Sign out members without 2FA now" }).check();
      const sole = dialog.getByRole("checkbox", { name: /I understand that nobody else can reset my 2FA/ });
      if (await sole.isVisible()) await sole.check();
      await dialog.getByRole("button", { name: "Require 2FA and sign them out" }).click();
      await expect(owner.getByRole("dialog", { name: "Two-factor authentication is now required" })).toBeVisible();

      await expectReason(
        tom,
        "Your organization now requires two-factor authentication. Sign in to set it up.",
        "organization_requires_2fa",
      );
      await shot(tom, "org-requires-2fa");
      // Signing in again replaces the cookie: the notice is gone, the setup page comes first.
      await tom.getByLabel("Email").fill(org.employee.email);
      await tom.getByLabel("Password", { exact: true }).fill(org.employee.password);
      await tom.getByRole("button", { name: "Sign in" }).click();
      await expect(tom).toHaveURL(/\/two-factor\/setup/);
      await tom.goto("/sign-in");
      await expect(tom.getByTestId("sign-out-reason")).toHaveCount(0);
    });
  });

  test("every other reason reads as written on the sign-in page (session rows ended by the server's own paths' codes)", async ({
    signedIn,
    org,
  }) => {
    test.setTimeout(180_000);
    // Reasons that need time to pass (idle, absolute lifetime, a grace deadline) or another helper's flow (password
    // change) are produced here by ending this browser's own session row the way those paths do.
    const cases: [string, RegExp][] = [
      ["idle_timeout", /signed out after a period of inactivity/],
      ["expired", /Your session expired/],
      ["two_factor_deadline_passed", /deadline to set up two-factor authentication has passed/],
      ["two_factor_reset_by_admin", /An administrator reset your two-factor authentication/],
      ["two_factor_changed", /two-factor authentication settings were changed from another session/],
      ["password_changed", /Your password was changed/],
    ];
    for (const [code, words] of cases) {
      const page = await signedIn("client");
      await query(
        `UPDATE "Session" SET "revokedAt" = now(), "revokedReason" = $2
         WHERE "userId" = (SELECT id FROM "User" WHERE email = $1) AND "revokedAt" IS NULL`,
        [org.client.email, code],
      );
      await expectReason(page, words, code);
      await shot(page, code.replaceAll("_", "-"));
      await page.context().close();
    }
    // An idle session, really idle: the guard ends it and says so.
    const page = await signedIn("client");
    await query(
      `UPDATE "Session" SET "lastSeenAt" = now() - interval '3 days'
       WHERE "userId" = (SELECT id FROM "User" WHERE email = $1) AND "revokedAt" IS NULL`,
      [org.client.email],
    );
    await expectReason(page, /signed out after a period of inactivity/, "idle_timeout");
    // An unknown code in the row shows nothing.
    const odd = await signedIn("client");
    await query(
      `UPDATE "Session" SET "revokedAt" = now(), "revokedReason" = '<b>crafted</b>'
       WHERE "userId" = (SELECT id FROM "User" WHERE email = $1) AND "revokedAt" IS NULL`,
      [org.client.email],
    );
    await odd.goto("/dashboard");
    await expect(odd).toHaveURL(/\/sign-in/);
    await expect(odd.getByRole("heading", { name: "Sign in to Twofold" })).toBeVisible();
    await expect(odd.getByTestId("sign-out-reason")).toHaveCount(0);
    await expect(odd.getByText("crafted")).toHaveCount(0);
  });
});
