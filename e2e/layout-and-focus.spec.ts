import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { screenshot } from "./support";

// Layout at every width, focus and print (issue 10, items 10–12), for an owner of an organization with teammates:
//  - no page of the console (and of sign-in) is wider than a 390 px phone: document.documentElement.scrollWidth ≤ 390;
//  - the focus indicator of a link and of a button is a visible outline in the brand colour (the design tokens exist
//    as CSS variables at run time), not only what axe says;
//  - a failed submit moves the focus to the error summary;
//  - the Users table shows every teammate's 2FA status without scrolling at 1366 px and at 390 px;
//  - the recovery codes take the focus when they appear and print alone (codes, account, date; no navigation).
// Screenshots for people to look at: ui-*.png (support.ts: screenshot).

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 768 };
const shot = (page: Page, name: string, fullPage = true) => screenshot(page, `ui-${name}`, { fullPage });

/** The page's width, and the elements that reach past the viewport (to say which one when it is too wide). */
async function width(page: Page) {
  return page.evaluate(() => {
    const limit = document.documentElement.clientWidth;
    // Past the right edge and not inside a box that scrolls or clips it (those are fine: they scroll in place).
    const clipped = (e: Element) => {
      for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== "visible") return true;
      }
      return false;
    };
    const wide = [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > limit + 1 && !clipped(e))
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${String(e.getAttribute("class") ?? "").slice(0, 60)}`);
    return { scrollWidth: document.documentElement.scrollWidth, wide };
  });
}

async function expectNoWiderThanPhone(page: Page, path: string) {
  await expect(page.locator("h1").first(), path).toBeVisible();
  await page.waitForLoadState("networkidle");
  const w = await width(page);
  expect(w.scrollWidth, `${path} is ${w.scrollWidth}px wide; past the edge: ${w.wide.join(", ")}`).toBeLessThanOrEqual(
    PHONE.width,
  );
}

/** The focus indicator of an element: its outline when it has :focus-visible. */
async function focusIndicator(target: Locator) {
  return target.evaluate((el) => {
    const s = getComputedStyle(el);
    return {
      focusVisible: el.matches(":focus-visible"),
      style: s.outlineStyle,
      width: Number.parseFloat(s.outlineWidth),
      color: s.outlineColor,
    };
  });
}

/** "rgb(37, 83, 230)" / "rgba(0, 0, 0, 0)" / "oklch(…)" → is it visible (not transparent)? */
const opaque = (color: string) =>
  !/^rgba\(.*,\s*0\)$/.test(color) && color !== "transparent" && !/\/\s*0\)$/.test(color);

async function expectVisibleFocus(page: Page, target: Locator, what: string) {
  await page.keyboard.press("Shift"); // keyboard modality: programmatic focus then shows :focus-visible
  await target.focus();
  // The colour eases in (transition-colors): read it once it has settled.
  await expect.poll(async () => (await focusIndicator(target)).color, { message: what }).toBe("rgb(37, 83, 230)");
  const ring = await focusIndicator(target);
  expect(ring.focusVisible, `${what} matches :focus-visible`).toBe(true);
  expect(ring.style, `${what}: outline style`).not.toBe("none");
  expect(ring.width, `${what}: outline width`).toBeGreaterThanOrEqual(2);
  expect(opaque(ring.color), `${what}: outline colour ${ring.color}`).toBe(true);
  // The brand colour from the design tokens (--color-brand-600: #2553e6), not a browser default.
  expect(ring.color, what).toBe("rgb(37, 83, 230)");
}

test("no console page is wider than a 390 px phone, for an owner with teammates", async ({
  org,
  signedIn,
  browser,
  withTwoFactor,
}) => {
  test.setTimeout(180_000);
  const page = await signedIn("owner");
  await page.setViewportSize(PHONE);
  for (const path of [
    "/dashboard",
    "/settings/users",
    "/settings/security",
    "/settings/owner",
    "/audit-log",
    "/profile/security",
  ]) {
    await page.goto(path);
    await expectNoWiderThanPhone(page, path);
    if (path === "/dashboard") await shot(page, "dashboard-390");
  }

  // The setup page (the owner has no 2FA yet).
  await page.goto("/profile/security");
  await page.getByRole("button", { name: "Set up authenticator app" }).click();
  await expect(page).toHaveURL(/\/profile\/security\/two-factor\/setup$/);
  await expectNoWiderThanPhone(page, "/profile/security/two-factor/setup");

  // Signed out: sign-in, and the second step of someone with 2FA.
  await withTwoFactor(org.admin);
  const context = await browser.newContext({ viewport: PHONE });
  const out = await context.newPage();
  await out.goto("/sign-in");
  await expectNoWiderThanPhone(out, "/sign-in");
  await out.getByLabel("Email").fill(org.admin.email);
  await out.getByLabel("Password", { exact: true }).fill(org.admin.password);
  await out.getByRole("button", { name: "Sign in" }).click();
  await expect(out).toHaveURL(/\/sign-in\/verify/);
  await expectNoWiderThanPhone(out, "/sign-in/verify");
  await context.close();
});

test("links and buttons show a visible focus outline in the brand colour @deployed", async ({ page }) => {
  await page.goto("/sign-in");
  // The design tokens exist at run time (Tailwind 4 @theme), which the base :focus-visible rule reads.
  const token = await page.evaluate(() =>
    getComputedStyle(document.documentElement).getPropertyValue("--color-brand-600").trim(),
  );
  expect(token.toLowerCase()).toBe("#2553e6");
  await expectVisibleFocus(page, page.getByRole("link", { name: "Create an organization" }), "a text link");
  await expectVisibleFocus(page, page.getByRole("button", { name: "Sign in" }), "the primary button");
  await expectVisibleFocus(page, page.getByRole("button", { name: "Show password" }), "a small icon-like button");
});

test("a failed submit moves the focus to the error summary @deployed", async ({ page }) => {
  await page.goto("/sign-in");
  // Nothing filled in: the browser-side check fails, the summary lists both fields and takes the focus.
  await page.getByRole("button", { name: "Sign in" }).click();
  const summary = page.getByTestId("error-summary");
  await expect(summary).toBeFocused();
  await expect(summary).toContainText("There is a problem");
  // Each listed error leads to its field.
  const items = summary.getByRole("button");
  await expect(items).toHaveCount(2); // email and password
  await items.first().click();
  await expect(page.getByLabel("Email")).toBeFocused();

  // The server refuses: the summary says why and takes the focus again.
  await page.getByLabel("Email").fill("nobody@example.test");
  await page.getByLabel("Password", { exact: true }).fill("not the password at all");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(summary).toBeFocused();
  await expect(summary).not.toContainText("There is a problem");
  await page.setViewportSize({ width: 1024, height: 760 });
  await shot(page, "error-summary-focused", false);
});

test("the Users table shows the 2FA status without scrolling at 1366 and 390 px", async ({ org, signedIn }) => {
  const page = await signedIn("owner");
  for (const [viewport, name] of [
    [LAPTOP, "users-1366"],
    [PHONE, "users-390"],
  ] as const) {
    await page.setViewportSize(viewport);
    await page.goto("/settings/users");
    await page.waitForLoadState("networkidle");
    for (const person of [org.admin, org.employee, org.contractor]) {
      const row = page.getByRole("row").filter({ hasText: person.email });
      // Scroll the page down to the row (vertical scrolling is fine); the table itself is not scrolled sideways.
      await row.evaluate((el) => window.scrollBy(0, el.getBoundingClientRect().top - 200));
      const status = row.getByText("Not set up", { exact: true });
      await expect(status, `${person.email} at ${viewport.width}px`).toBeInViewport({ ratio: 1 });
      // Nothing covers it (the sticky actions column did): the element at its centre is the status itself.
      const covered = await status.evaluate((el) => {
        const r = el.getBoundingClientRect();
        const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return !(top && (el === top || el.contains(top)));
      });
      expect(covered, `${person.email}'s 2FA status is covered at ${viewport.width}px`).toBe(false);
      const scrolled = await row.evaluate((el) => el.closest("[data-overflow]")?.scrollLeft ?? 0);
      expect(scrolled, "the table was not scrolled sideways").toBe(0);
      // The role picker and the actions are in view too.
      await expect(page.getByLabel(`Role of ${person.name}`), `${viewport.width}px`).toBeInViewport({ ratio: 1 });
      await expect(row.getByRole("button", { name: /^2FA actions/ })).toBeInViewport({ ratio: 1 });
    }
    const w = await width(page);
    expect(w.scrollWidth, `Users at ${viewport.width}px; past the edge: ${w.wide.join(", ")}`).toBeLessThanOrEqual(
      viewport.width,
    );
    // Counts are written for people (lib/format/count).
    await expect(page.getByRole("heading", { name: "Members (5)" })).toBeVisible();
    await shot(page, name);
  }
});

test("recovery codes take the focus and print alone: codes, account and date, no navigation", async ({
  org,
  signedIn,
  totp,
}) => {
  const page = await signedIn("owner");
  await page.goto("/profile/security");
  await page.getByRole("button", { name: "Set up authenticator app" }).click();
  await expect(page).toHaveURL(/\/profile\/security\/two-factor\/setup$/);
  const secret = ((await page.getByTestId("manual-key").textContent()) ?? "").replaceAll(" ", "");
  await page.getByLabel("Current password").fill(org.owner.password);
  await page.getByLabel("6-digit code from the app").fill(await totp(secret));
  await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();

  const codes = page.getByRole("list", { name: "Recovery codes" });
  await expect(codes.getByTestId("recovery-code")).toHaveCount(10);
  await expect(codes).toBeFocused();

  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("navigation").first()).toBeHidden();
  await expect(page.getByRole("button", { name: "Print" })).toBeHidden();
  await expect(page.getByRole("link", { name: /I have saved my codes/ })).toBeHidden();
  await expect(page.getByRole("heading", { name: /Two-factor authentication is on/ })).toBeHidden();
  await expect(codes.getByTestId("recovery-code")).toHaveCount(10);
  for (const code of await codes.getByTestId("recovery-code").all()) await expect(code).toBeVisible();
  const heading = page.getByTestId("recovery-codes-print-heading");
  await expect(heading).toBeVisible();
  await expect(heading).toContainText(`Account: ${org.owner.email}`);
  await expect(heading).toContainText(/Generated: \S+/);
  await shot(page, "recovery-codes-print");
  await page.emulateMedia({ media: "screen" });
  await expect(page.getByRole("button", { name: "Print" })).toBeVisible();
  await expect(heading).toBeHidden();
});
