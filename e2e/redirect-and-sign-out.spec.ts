// S38 (no open redirect after a real sign-in) and S43 (every sign-out path ends the server session) against the
// production build.
import fs from "node:fs";
import type { BrowserContext, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { query, signIn } from "./support";

const baseURL = () => test.info().project.use.baseURL ?? "";

/** Where the browser is, as origin + path (the query and fragment do not matter here). */
const where = (page: Page) => {
  const url = new URL(page.url());
  return `${url.origin}${url.pathname}`;
};

test.describe("S38: a hostile callbackUrl never leaves the app", () => {
  test("after a real sign-in with callbackUrl=/<TAB>/evil.example the browser lands on the app's dashboard", async ({
    page,
    org,
  }) => {
    // A sign-in and 16 page loads (each redirected to the dashboard): more than the default minute on a busy 2-core
    // machine (it timed out on the dashboard in a full run, and passes alone in about 30 s).
    test.setTimeout(180_000);
    // A fresh owner (own organization, no 2FA required). A browser drops the tab: "/\t/evil.example" would become
    // "//evil.example", another host.
    await signIn(page, org.owner.email, org.owner.password, "/\t/evil.example");
    await expect(page).toHaveURL(/\/dashboard$/);
    expect(where(page)).toBe(`${baseURL()}/dashboard`);
    await expect(page.getByRole("heading", { name: `Welcome, ${org.owner.name.split(" ")[0]}` })).toBeVisible();

    // Signed in already: the sign-in, second-step and SSO pages redirect at once — to the dashboard, for every variant.
    for (const pagePath of ["/sign-in", "/sign-in/verify", "/sign-in/sso"]) {
      for (const hostile of [
        "/\t/evil.example",
        "/%09/evil.example",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example/",
      ]) {
        await page.goto(`${pagePath}?callbackUrl=${encodeURIComponent(hostile)}`);
        await expect(page).toHaveURL(/\/dashboard$/);
        expect(where(page), `${pagePath} with ${JSON.stringify(hostile)}`).toBe(`${baseURL()}/dashboard`);
      }
    }
    // A good target with a query string is kept.
    await page.goto(`/sign-in?callbackUrl=${encodeURIComponent("/audit-log?type=signout")}`);
    await expect(page).toHaveURL(/\/audit-log\?type=signout$/);
  });
});

interface ActionEntry {
  exportedName?: string;
  workers?: Record<string, unknown>;
}
/** The id and a serving page of a server action, from the build's manifest (as the route sweep finds them). */
function serverAction(name: string): { id: string; page: string } {
  const manifest = JSON.parse(fs.readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
    node: Record<string, ActionEntry>;
  };
  const found = Object.entries(manifest.node).find(([, e]) => e.exportedName === name);
  if (!found) throw new Error(`server action ${name} not in the build`);
  const worker = Object.keys(found[1].workers ?? {})[0] ?? "app/page";
  const segments = worker
    .replace(/^app\//, "")
    .replace(/\/page$/, "")
    .split("/")
    .filter((s) => s && s !== "page" && !/^\(.*\)$/.test(s));
  return { id: found[0], page: `/${segments.join("/")}` };
}

/** What a browser holding `cookie` gets from a page, a route handler and a server action. */
async function replay(context: BrowserContext) {
  const page = await context.newPage();
  await page.goto("/dashboard");
  const dashboard = where(page);
  const exportRes = await context.request.get("/settings/users/export", { maxRedirects: 0 });
  const action = serverAction("signOutOtherSessionsAction");
  const actionRes = await context.request.post(action.page, {
    headers: { "next-action": action.id, origin: baseURL(), "content-type": "text/plain;charset=UTF-8" },
    data: JSON.stringify([{}]),
    maxRedirects: 0,
  });
  const actionBody = await actionRes.text();
  return {
    dashboard,
    exportStatus: exportRes.status(),
    exportType: exportRes.headers()["content-type"] ?? "",
    actionRan: actionBody.includes('"ok":true'),
    actionRefused: actionBody.includes('"code":"UNAUTHENTICATED"'),
  };
}

async function sessionCookie(context: BrowserContext) {
  const cookie = (await context.cookies()).find((c) => c.name.endsWith("next-auth.session-token"));
  expect(cookie, "a session cookie after sign-in").toBeTruthy();
  return cookie as NonNullable<typeof cookie>;
}

/** A fresh browser holding only `cookie`. */
async function contextWith(context: BrowserContext, cookie: Awaited<ReturnType<typeof sessionCookie>>) {
  const browser = context.browser();
  if (!browser) throw new Error("no browser");
  const fresh = await browser.newContext();
  await fresh.addCookies([cookie]);
  return fresh;
}

const signOutPaths: Record<string, (page: Page) => Promise<void>> = {
  "next-auth's POST /api/auth/signout (with its CSRF token)": async (page) => {
    const status = await page.evaluate(async () => {
      const { csrfToken } = (await (await fetch("/api/auth/csrf")).json()) as { csrfToken: string };
      const res = await fetch("/api/auth/signout", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrfToken, json: "true" }),
      });
      return res.status;
    });
    expect(status).toBe(200);
  },
  "the app's Sign out button": async (page) => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in\?signedOut=1$/);
  },
};

test.describe("S43: every sign-out path ends the server session", () => {
  for (const [label, signOut] of Object.entries(signOutPaths)) {
    test(`after ${label}, a replayed session cookie is refused by pages, route handlers and actions`, async ({
      org,
      signedIn,
    }) => {
      const page = await signedIn("owner"); // a fresh owner: own organization, no 2FA required
      const context = page.context();
      const email = org.owner.email;
      const cookie = await sessionCookie(context);

      // Control: the copied cookie works in another browser while the session is live (the replay is well-formed).
      const before = await contextWith(context, cookie);
      const live = await replay(before);
      expect(live).toMatchObject({ dashboard: `${baseURL()}/dashboard`, exportStatus: 200, actionRan: true });
      expect(live.exportType).toContain("text/csv");
      await before.close();

      await page.goto("/dashboard");
      await signOut(page);

      // The session row is ended on the server, not just the cookie dropped.
      const rows = await query<{ revokedReason: string | null }>(
        `SELECT s."revokedReason" FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE u.email = $1`,
        [email],
      );
      expect(rows).toEqual([{ revokedReason: "signed_out" }]);

      const after = await contextWith(context, cookie);
      const replayed = await replay(after);
      expect(replayed.dashboard).toBe(`${baseURL()}/sign-in`);
      expect(replayed.exportStatus).toBe(401);
      expect(replayed.actionRan).toBe(false);
      expect(replayed.actionRefused).toBe(true);
      await after.close();
    });
  }
});
