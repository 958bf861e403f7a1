import { expect, test } from "@playwright/test";
import { DEMO, DEMO_PASSWORD, query, screenshot, signedInPage, signIn, signUp, uniqueEmail } from "./support";

test.describe("sign-up, sign-in and sign-out", () => {
  test("sign-up creates a user and an organization they own, and signs them in", async ({ page }) => {
    const email = uniqueEmail("founder");
    await signUp(page, {
      name: "Fran Founder",
      email,
      password: "a long enough password",
      organization: "Founders Ltd",
    });
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByRole("heading", { name: "Welcome, Fran" })).toBeVisible();
    await expect(page.getByText("Founders Ltd").first()).toBeVisible();
    const [row] = await query<{ role: string; name: string }>(
      `SELECT m.role, o.name FROM "Membership" m JOIN "User" u ON u.id = m."userId" JOIN "Organization" o ON o.id = m."organizationId" WHERE u.email = $1`,
      [email],
    );
    expect(row).toEqual({ role: "OWNER", name: "Founders Ltd" });
    const sessions = await query(
      `SELECT s.id FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE u.email = $1 AND s."revokedAt" IS NULL`,
      [email],
    );
    expect(sessions).toHaveLength(1);
  });

  test("sign-up refuses a short password and an email already in use, with clear messages", async ({ page }) => {
    await page.goto("/sign-up");
    await page.getByLabel("Your name").fill("Short Pw");
    await page.getByLabel("Work email").fill(uniqueEmail("short"));
    await page.getByLabel("Password", { exact: true }).fill("short");
    await page.getByLabel("Organization name").fill("Nope Inc");
    await page.getByRole("button", { name: /create/i }).click();
    await expect(page.getByText(/at least 10 characters/i)).toBeVisible();
    await expect(page).toHaveURL(/\/sign-up$/);

    await signUp(page, { name: "Dup", email: DEMO.owner, password: "a long enough password", organization: "Dup Inc" });
    await expect(page.getByText(/already/i).first()).toBeVisible();
    await expect(page).toHaveURL(/\/sign-up$/);
  });

  test("sign-in lands on the dashboard; wrong password and unknown email give the same generic message", async ({
    page,
  }) => {
    await signIn(page, DEMO.admin, "not the password");
    const message = page.getByText(/do not match an account/i);
    await expect(message).toBeVisible();
    const wrongPassword = await message.textContent();
    await signIn(page, uniqueEmail("nobody"), "not the password");
    await expect(page.getByText(/do not match an account/i)).toBeVisible();
    expect(await page.getByText(/do not match an account/i).textContent()).toBe(wrongPassword);
    await screenshot(page, "sign-in-error");

    await signIn(page, DEMO.admin);
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByRole("heading", { name: "Welcome, Ana" })).toBeVisible();
    await screenshot(page, "dashboard");
  });

  test("an anonymous visitor is sent to sign-in and returned to the page they asked for", async ({ page }) => {
    await page.goto("/profile/security");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fprofile%2Fsecurity/);
    await page.getByLabel("Email").fill(DEMO.member);
    await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/profile\/security$/);
  });

  test("sign-out revokes the session on the server: the old cookie no longer works", async ({ browser }) => {
    const { context, page } = await signedInPage(browser, DEMO.client);
    const cookie = (await context.cookies()).find((c) => c.name.endsWith("next-auth.session-token"));
    expect(cookie).toBeTruthy();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    // Replaying the copied cookie in a fresh browser is refused: the Session row is revoked (S21).
    const replay = await browser.newContext();
    await replay.addCookies([cookie as NonNullable<typeof cookie>]);
    const p2 = await replay.newPage();
    await p2.goto("/dashboard");
    await expect(p2).toHaveURL(/\/sign-in/);
    await context.close();
    await replay.close();
  });

  test("signing out another device from Profile › Security ends that session at once", async ({ browser }) => {
    const email = uniqueEmail("twodevices");
    const first = await browser.newContext();
    const a = await first.newPage();
    await signUp(a, { name: "Two Devices", email, password: "a long enough password", organization: "Two Devices Co" });
    await expect(a).toHaveURL(/\/dashboard$/);
    const { context: second, page: b } = await signedInPage(browser, email, "a long enough password");

    await a.goto("/profile/security");
    await expect(a.getByText("This device", { exact: true })).toBeVisible();
    await screenshot(a, "profile-security-sessions");
    await a.getByRole("button", { name: /^Sign out session:/ }).click();
    await expect(a.getByRole("button", { name: /^Sign out session:/ })).toHaveCount(0);

    await b.goto("/dashboard");
    await expect(b).toHaveURL(/\/sign-in/);
    await a.goto("/dashboard");
    await expect(a).toHaveURL(/\/dashboard$/); // the device that acted stays signed in
    await first.close();
    await second.close();
  });

  test("a tampered session cookie is refused", async ({ browser }) => {
    const { context } = await signedInPage(browser, DEMO.contractor);
    const cookie = (await context.cookies()).find((c) => c.name.endsWith("next-auth.session-token"));
    const tampered = await browser.newContext();
    await tampered.addCookies([
      { ...(cookie as NonNullable<typeof cookie>), value: `${cookie?.value.slice(0, -4)}AAAA` },
    ]);
    const page = await tampered.newPage();
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/sign-in/);
    await context.close();
    await tampered.close();
  });
});

test.describe("authorization", () => {
  test("a member cannot open admin pages (403), sees a read-only directory and the owner page", async ({ browser }) => {
    const { context, page } = await signedInPage(browser, DEMO.member);
    const users = await page.goto("/settings/users");
    expect(users?.status()).toBe(200);
    await expect(page.getByRole("cell", { name: DEMO.admin })).toBeVisible();
    await expect(page.getByRole("button", { name: "Send invitation" })).toHaveCount(0);
    await expect(page.getByRole("combobox")).toHaveCount(0); // no role changes
    await expect(page.getByRole("columnheader", { name: "Last sign-in" })).toHaveCount(0);
    for (const path of ["/audit-log", "/settings/security"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(403);
      await expect(page.getByRole("heading", { name: /not allowed|forbidden|access/i })).toBeVisible();
    }
    expect((await page.request.get("/audit-log/export")).status()).toBe(403);
    await page.goto("/settings/owner");
    await expect(page.getByText(DEMO.owner)).toBeVisible();
    await context.close();
  });

  test("an admin exports the audit log as CSV", async ({ browser }) => {
    const { context, page } = await signedInPage(browser, DEMO.admin);
    const res = await page.request.get("/audit-log/export");
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toContain("text/csv");
    const text = await res.text();
    expect(text).toContain('"time","event","type","actor","target","ip","user_agent"');
    expect(text).toContain("Ana Pereira signed in");
    await context.close();
  });

  test("the development mailbox does not exist in the production build", async ({ page }) => {
    const response = await page.goto("/dev/mail");
    expect(response?.status()).toBe(404);
  });

  test("a cross-origin POST to a server action is refused and changes nothing (S34)", async ({ browser, baseURL }) => {
    const { context, page } = await signedInPage(browser, DEMO.admin);
    await page.goto("/settings/users");
    // Replay the invite form's server-action request with a foreign Origin.
    const actionRequest = page.waitForRequest((r) => r.method() === "POST" && Boolean(r.headers()["next-action"]));
    await page.getByLabel("Email address").fill(uniqueEmail("csrf"));
    await page.getByRole("button", { name: "Send invitation" }).click();
    const request = await actionRequest;
    await expect(page.getByText(/invitation sent/i)).toBeVisible();
    const evil = uniqueEmail("evil");
    const body = (request.postData() ?? "").replace(/csrf-[0-9a-f]{8}@example\.test/, evil);
    expect(body).toContain(evil);
    // Replayed headers, less content-length (the replayed bodies differ in length from the original).
    const { "content-length": _length, ...original } = request.headers();
    const headers = { ...original, origin: "https://evil.example", "sec-fetch-site": "cross-site" };
    const response = await context.request.post(`${baseURL}/settings/users`, { headers, data: body });
    expect(response.status()).toBeGreaterThanOrEqual(400);
    expect(await query(`SELECT id FROM "Invitation" WHERE email = $1`, [evil])).toEqual([]);
    // The same request from our own origin would have worked: the refusal is the Origin check, not a broken replay.
    const legit = uniqueEmail("legit");
    const sameOrigin = await context.request.post(`${baseURL}/settings/users`, {
      headers: { ...original, origin: baseURL ?? "", "sec-fetch-site": "same-origin" },
      data: body.replace(evil, legit),
    });
    expect(sameOrigin.status()).toBe(200);
    expect(await sameOrigin.text()).toContain('"ok":true');
    expect(await query(`SELECT id FROM "Invitation" WHERE email = $1`, [legit])).toHaveLength(1);
    await context.close();
  });
});
