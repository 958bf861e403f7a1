// S44 headers and item 13's origin rule, against the production server of the suite (e2e/app-env.ts):
//  - every page carries a Content-Security-Policy with a fresh nonce that Next puts on its own scripts,
//    frame-ancestors 'none', Referrer-Policy and nosniff (no HSTS over http);
//  - the main pages run with that policy without a single violation (the 2FA QR code included);
//  - a server-action POST from another origin — also with a forged X-Forwarded-Host or Host matching it, and
//    without an Origin — gets a clear 403 and changes nothing.
import { type BrowserContext, expect, type Page, test } from "@playwright/test";
import { DEMO, query, signedInPage, signUp, uniqueEmail } from "./support";

/** Records CSP violations (the DOM event, and Chromium's console report) from the first script on. */
async function watchViolations(context: BrowserContext): Promise<() => Promise<string[]>> {
  const console: string[] = [];
  const pages: Page[] = [];
  await context.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      w.__cspViolations.push(
        `${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`,
      );
    });
  });
  const watch = (page: Page) => {
    pages.push(page);
    page.on("console", (m) => {
      if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text())) console.push(m.text());
    });
  };
  context.pages().forEach(watch);
  context.on("page", watch);
  return async () => {
    const fromPages: string[] = [];
    for (const page of pages.filter((p) => !p.isClosed())) {
      fromPages.push(
        ...(await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? [])),
      );
    }
    return [...console, ...fromPages];
  };
}

test.describe("security headers (S44)", () => {
  test("pages carry a nonce-based CSP, frame-ancestors 'none', Referrer-Policy and nosniff", async ({ request }) => {
    const first = await request.get("/sign-in");
    expect(first.status()).toBe(200);
    const headers = first.headers();
    const csp = headers["content-security-policy"] ?? "";
    const nonce = /script-src [^;]*'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    expect(nonce, csp).toBeTruthy();
    expect(csp).toContain("'strict-dynamic'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp).not.toContain("'unsafe-eval'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["strict-transport-security"]).toBeUndefined(); // served over http here

    // Every script Next rendered carries this response's nonce; the next response has another one.
    const html = await first.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    const second = (await request.get("/sign-in")).headers()["content-security-policy"] ?? "";
    expect(second).not.toContain(`'nonce-${nonce}'`);

    // Also on redirects and other routes.
    const redirect = await request.get("/dashboard", { maxRedirects: 0 });
    expect(redirect.status()).toBe(307);
    expect(redirect.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect((await request.get("/no-such-page")).headers()["content-security-policy"]).toContain("'nonce-");
  });

  test("the main pages run without a CSP violation, the 2FA setup QR code included", async ({ browser }) => {
    test.setTimeout(120_000);
    const anonymous = await browser.newContext();
    const anonymousViolations = await watchViolations(anonymous);
    const visitor = await anonymous.newPage();
    for (const path of ["/sign-in", "/sign-up", "/sign-in?callbackUrl=%2Fsettings%2Fusers", "/no-such-page"]) {
      await visitor.goto(path);
      await expect(visitor.locator("main").first()).toBeVisible();
    }
    // Client-side validation runs: React hydrated under the policy.
    await visitor.goto("/sign-in");
    await visitor.getByRole("button", { name: "Sign in" }).click();
    await expect(visitor.getByText(/enter your email/i).first()).toBeVisible();
    expect(await anonymousViolations()).toEqual([]);
    await anonymous.close();

    // An owner's console (signed in through the real form, which needs the client scripts).
    const { context: owner, page } = await signedInPage(browser, DEMO.owner);
    const ownerViolations = await watchViolations(owner);
    for (const path of ["/dashboard", "/settings/users", "/settings/security", "/audit-log", "/profile/security"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
      expect(response?.headers()["content-security-policy"], path).toContain("'nonce-");
    }
    expect(await ownerViolations()).toEqual([]);
    await owner.close();

    // A new account sets up an authenticator app: the QR code (qrcode.react, an inline SVG) renders.
    const fresh = await browser.newContext();
    const freshViolations = await watchViolations(fresh);
    const person = await fresh.newPage();
    await signUp(person, {
      name: "Csp Person",
      email: uniqueEmail("csp"),
      password: "a long enough password",
      organization: "Csp Co",
    });
    await expect(person).toHaveURL(/\/dashboard$/);
    await person.goto("/profile/security");
    await person.getByRole("button", { name: "Set up authenticator app" }).click();
    await expect(person).toHaveURL(/\/profile\/security\/two-factor\/setup$/);
    const qr = person.locator("svg", { has: person.locator("title", { hasText: /QR code to add Twofold/ }) });
    await expect(qr).toBeVisible();
    expect((await qr.boundingBox())?.width).toBeGreaterThan(150);
    expect(await freshViolations()).toEqual([]);
    await fresh.close();
  });
});

test.describe("origin check (item 13)", () => {
  test("a cross-origin server-action POST gets 403 and changes nothing, also with a forged X-Forwarded-Host", async ({
    browser,
    baseURL,
  }) => {
    const { context, page } = await signedInPage(browser, DEMO.admin);
    await page.goto("/settings/users");
    // A real invite action request from the page, to replay.
    const actionRequest = page.waitForRequest((r) => r.method() === "POST" && Boolean(r.headers()["next-action"]));
    await page.getByLabel("Email address").fill(uniqueEmail("origin"));
    await page.getByRole("button", { name: "Send invitation" }).click();
    const request = await actionRequest;
    await expect(page.getByText(/invitation sent/i)).toBeVisible();
    const { "content-length": _length, origin: _origin, "sec-fetch-site": _site, ...original } = request.headers();
    const invite = (headers: Record<string, string>) => {
      const email = uniqueEmail("evil");
      const data = (request.postData() ?? "").replace(/origin-[0-9a-f]{8}@example\.test/, email);
      expect(data).toContain(email);
      return context.request
        .post(`${baseURL}/settings/users`, { headers: { ...original, ...headers }, data, maxRedirects: 0 })
        .then(async (response) => ({ email, response }));
    };
    const evilHost = "evil.example";
    const attacks: Record<string, Record<string, string>> = {
      "foreign Origin": { origin: `http://${evilHost}` },
      "foreign Origin, cross-site fetch metadata": { origin: `http://${evilHost}`, "sec-fetch-site": "cross-site" },
      "foreign Origin with a forged X-Forwarded-Host matching it": {
        origin: `http://${evilHost}`,
        "x-forwarded-host": evilHost,
        "x-forwarded-proto": "http",
      },
      "foreign Origin with a Host header matching it": { origin: `http://${evilHost}`, host: evilHost },
      "no Origin": {},
      "Origin: null": { origin: "null" },
    };
    // Every attack answered 403 with the CROSS_ORIGIN message, and not one invitation written (one table, so a
    // failure shows every row).
    const outcomes: Record<string, string> = {};
    for (const [name, headers] of Object.entries(attacks)) {
      const { email, response } = await invite(headers);
      const body = await response.text();
      const rows = await query(`SELECT id FROM "Invitation" WHERE email = $1`, [email]);
      outcomes[name] =
        `${response.status()} ${body.includes('"code":"CROSS_ORIGIN"') ? "CROSS_ORIGIN" : "?"} rows=${rows.length}`;
    }
    expect(outcomes).toEqual(Object.fromEntries(Object.keys(attacks).map((name) => [name, "403 CROSS_ORIGIN rows=0"])));
    // The same request from the app's own origin works: the refusals above are the origin rule, not a broken replay.
    const { email, response } = await invite({ origin: baseURL ?? "", "sec-fetch-site": "same-origin" });
    expect(response.status()).toBe(200);
    expect(await response.text()).toContain('"ok":true');
    expect(await query(`SELECT id FROM "Invitation" WHERE email = $1`, [email])).toHaveLength(1);
    await context.close();
  });
});
