// The fixtures QA writes flows with (documented with an example each in e2e/README.md). Import `test` and `expect`
// from here instead of "@playwright/test":
//   org                  a fresh organization: owner, admin, and a member of each type (employee, client, contractor);
//                        local: made through the services and deleted after; deployed: made through the UI
//   signedIn(role)       a new browser page signed in as that person of `org` (the code is entered when they have 2FA)
//   withTwoFactor(user, {page}?)  turns on 2FA with an authenticator app; returns the secret. Local: through the
//                        services; deployed, or in the `page` given: through Profile > Security
//   totp(user | secret)  the next unused code of that authenticator, waiting for a fresh time step when needed
//   mailbox.latest(to, kind)  the newest delivered mail of a kind (template) to an address, with its codes and links
//   sms.latest(to)       the newest delivered text message to a phone number (E.164), with the code in it
//   axe(page, {within}?) WCAG 2.1 AA checks of the current page or part of it (fails listing the violations)
// Every fixture works in both projects: `local` reads mail from the suite's database, `deployed` through the test
// mailbox API (TEST_MAILBOX_TOKEN); texts likewise (SMS_TRANSPORT=local: the texts the local sender delivered).
import { randomUUID } from "node:crypto";
import { type Browser, test as base, expect, type Page, type TestInfo } from "@playwright/test";
import { E2E_TARGET_URL, E2E_TEST_MAILBOX_TOKEN } from "./app-env";
import { seedOrganization, seedTwoFactor } from "./seed-org";
import {
  Authenticator,
  codeFromText,
  type DeliveredMail,
  type DeliveredText,
  expectAccessible,
  query,
  readMailFromDatabase,
  readTextFromDatabase,
  secretsFromMail,
  signIn,
  signUp,
} from "./support";

export { expect };

export type Role = "owner" | "admin" | "employee" | "client" | "contractor";
export const ROLES: readonly Role[] = ["owner", "admin", "employee", "client", "contractor"];

export interface OrgUser {
  role: Role;
  name: string;
  email: string;
  password: string;
}

/** Anyone with a password account: a person of `org`, or one a spec made itself. */
export type Person = Pick<OrgUser, "email" | "password">;

export interface Org {
  name: string;
  owner: OrgUser;
  admin: OrgUser;
  employee: OrgUser;
  client: OrgUser;
  contractor: OrgUser;
}

export interface Mailbox {
  /** The newest mail of template `kind` (e.g. "invitation", "email-code", "two-factor-reset") to `to`, waiting up to
   *  20 s for it to be delivered. `payload`: the template data, with its codes and links as read from the mail. */
  latest(to: string, kind: string): Promise<DeliveredMail>;
}

export interface Texts {
  /** The newest text message to `to` (E.164, e.g. "+447700900123"), waiting up to 20 s for it to be delivered;
   *  `after`: only one sent after this time (a resent code). `code`: the 6-digit code in it. */
  latest(to: string, opts?: { after?: Date }): Promise<DeliveredText>;
}

export type Plan = "FREE" | "PROFESSIONAL" | "ENTERPRISE";

interface Fixtures {
  /** The plan of `org` (`test.use({ orgPlan: "PROFESSIONAL" })`): sign-up in the UI makes Free organizations, so
   *  another plan is for the local project only. */
  orgPlan: Plan;
  org: Org;
  signedIn: (role: Role) => Promise<Page>;
  /** `page`: enrol in that signed-in page through Profile > Security (its session enrols: never a step-up, S39);
   *  otherwise through the services (local project) or in a browser of its own through the UI (deployed). */
  withTwoFactor: (user: Person, opts?: { page?: Page }) => Promise<string>;
  totp: (user: Person | string) => Promise<string>;
  mailbox: Mailbox;
  sms: Texts;
  /** `within`: check only part of the page, e.g. an open dialog ("dialog[open]"). */
  axe: (page: Page, opts?: { within?: string }) => Promise<void>;
}

/** One authenticator app per secret, shared by the tests of a worker (support.ts: codes are single-use per step). */
const authenticators = new Map<string, Authenticator>();
const secretsByEmail = new Map<string, string>();
const authenticator = (secret: string) => {
  const key = secret.replaceAll(" ", "").toUpperCase();
  let app = authenticators.get(key);
  if (!app) {
    app = new Authenticator(key);
    authenticators.set(key, app);
  }
  return app;
};

const isDeployedProject = (info: TestInfo) => info.project.name === "deployed";

/** The test mailbox API of the server (lib/services/test-mailbox/): the only way to mail on a deployment. */
async function readMailThroughApi(baseURL: string, to: string, kind: string): Promise<DeliveredMail> {
  const token = E2E_TARGET_URL ? process.env.TEST_MAILBOX_TOKEN : E2E_TEST_MAILBOX_TOKEN;
  if (!token) throw new Error("mailbox.latest on a deployment needs TEST_MAILBOX_TOKEN (the deployment's token)");
  type Answer = { mail: { subject: string; text: string; data: Record<string, unknown> } | null };
  let answer: Answer | undefined;
  await expect
    .poll(
      async () => {
        const url = `${baseURL}/api/test-mailbox?to=${encodeURIComponent(to)}&kind=${encodeURIComponent(kind)}`;
        const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
        if (res.status === 404) throw new Error(`${baseURL} has no test mailbox (or refuses the token): 404`);
        answer = (await res.json()) as Answer;
        return answer.mail !== null;
      },
      { timeout: 20_000, message: `a delivered "${kind}" mail to ${to}` },
    )
    .toBe(true);
  const mail = answer?.mail as NonNullable<Answer["mail"]>;
  return { subject: mail.subject, text: mail.text, payload: { ...mail.data, ...secretsFromMail(mail) } };
}

/** Signs in through the sign-in page in a new browser context, entering the authenticator code when asked. */
async function signInAs(browser: Browser, user: Person): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, user.email, user.password);
  await expect(page).not.toHaveURL(/\/sign-in$/, { timeout: 30_000 });
  if (/\/sign-in\/verify/.test(page.url())) {
    const secret = secretsByEmail.get(user.email);
    if (!secret) throw new Error(`${user.email} is asked for a code: turn 2FA on with withTwoFactor(user) first`);
    await page.getByLabel("Authentication code").fill(await authenticator(secret).nextCode());
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    await expect(page).not.toHaveURL(/\/sign-in/, { timeout: 30_000 });
  }
  return page;
}

/** Texts through the test mailbox API (kind "sms": the newest text to that number). */
async function readTextThroughApi(baseURL: string, to: string, after?: Date): Promise<DeliveredText> {
  const token = E2E_TARGET_URL ? process.env.TEST_MAILBOX_TOKEN : E2E_TEST_MAILBOX_TOKEN;
  if (!token) throw new Error("sms.latest on a deployment needs TEST_MAILBOX_TOKEN (the deployment's token)");
  let found: DeliveredText | undefined;
  await expect
    .poll(
      async () => {
        const url = `${baseURL}/api/test-mailbox?to=${encodeURIComponent(to)}&kind=sms`;
        const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
        if (res.status === 404) throw new Error(`${baseURL} has no test mailbox (or refuses the token): 404`);
        const { mail } = (await res.json()) as { mail: { text: string; queuedAt: string } | null };
        if (!mail || (after && Date.parse(mail.queuedAt) <= after.getTime())) return false;
        found = { to, text: mail.text, template: "sms", code: codeFromText(mail.text) };
        return true;
      },
      { timeout: 20_000, message: `a text message to ${to}` },
    )
    .toBe(true);
  return found as DeliveredText;
}

export const test = base.extend<Fixtures>({
  sms: async ({ baseURL }, use, testInfo) => {
    const deployed = isDeployedProject(testInfo);
    await use({
      latest: (to, opts = {}) =>
        deployed ? readTextThroughApi(baseURL ?? "", to, opts.after) : readTextFromDatabase(to, opts.after),
    });
  },

  mailbox: async ({ baseURL }, use, testInfo) => {
    const deployed = isDeployedProject(testInfo);
    await use({
      latest: (to, kind) => (deployed ? readMailThroughApi(baseURL ?? "", to, kind) : readMailFromDatabase(to, kind)),
    });
  },

  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixtures a fixture needs from this pattern
  totp: async ({}, use) => {
    await use(async (user) => {
      const secret = typeof user === "string" ? user : secretsByEmail.get(user.email);
      if (!secret) throw new Error(`totp(${(user as Person).email}): no authenticator; use withTwoFactor(user) first`);
      return authenticator(secret).nextCode();
    });
  },

  withTwoFactor: async ({ browser }, use, testInfo) => {
    await use(async (user, opts = {}) => {
      let secret: string;
      if (opts.page || isDeployedProject(testInfo)) {
        // Through Profile > Security: in the page given (its session enrols, which is never a step-up: S39), or in a
        // browser signed in for it.
        const page = opts.page ?? (await signInAs(browser, user));
        await page.goto("/profile/security");
        await page.getByRole("button", { name: "Set up authenticator app" }).click();
        await expect(page).toHaveURL(/\/profile\/security\/two-factor\/setup$/);
        secret = ((await page.getByTestId("manual-key").textContent()) ?? "").replaceAll(" ", "");
        await page.getByLabel("Current password").fill(user.password);
        await page.getByLabel("6-digit code from the app").fill(await authenticator(secret).nextCode());
        await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
        await expect(page.getByRole("heading", { name: "Two-factor authentication is on" })).toBeVisible();
        if (!opts.page) await page.context().close();
      } else {
        // Local: through the services (a sign-in and the enrolment, confirmed with the password and a code).
        ({ secret } = await seedTwoFactor(user));
      }
      secretsByEmail.set(user.email, secret);
      return secret;
    });
  },

  orgPlan: ["FREE", { option: true }],

  // Its own time budget, apart from the test's: local, through the services (seconds: five password hashes);
  // deployed, through the UI (a sign-up, four invitations sent and accepted).
  org: [
    async ({ browser, mailbox, orgPlan }, use, testInfo) => {
      if (orgPlan !== "FREE" && isDeployedProject(testInfo)) {
        throw new Error(`an organization on the ${orgPlan} plan needs database access: not in the deployed project`);
      }
      const tag = randomUUID().slice(0, 8);
      const name = `QA Org ${tag}`;
      const person = (role: Role, first: string): OrgUser => ({
        role,
        name: `${first} ${role[0]?.toUpperCase()}${role.slice(1)}`,
        email: `${role}-${tag}@qa.example.test`,
        password: `${role} password ${tag}`,
      });
      const org: Org = {
        name,
        owner: person("owner", "Olga"),
        admin: person("admin", "Adam"),
        employee: person("employee", "Emma"),
        client: person("client", "Carl"),
        contractor: person("contractor", "Cora"),
      };
      const teammates = [
        { user: org.admin, role: "ADMIN", type: "EMPLOYEE" },
        { user: org.employee, role: "MEMBER", type: "EMPLOYEE" },
        { user: org.client, role: "MEMBER", type: "CLIENT" },
        { user: org.contractor, role: "MEMBER", type: "CONTRACTOR" },
      ] as const;
      if (isDeployedProject(testInfo)) {
        // No database: through the UI, as a person would (sign-up, invitations accepted through the emailed links).
        const ownerContext = await browser.newContext();
        const owner = await ownerContext.newPage();
        await signUp(owner, { ...org.owner, organization: name });
        await expect(owner).toHaveURL(/\/dashboard$/, { timeout: 30_000 });
        await owner.goto("/settings/users");
        for (const t of teammates) {
          await owner.getByLabel("Email address").fill(t.user.email);
          await owner.getByLabel("Role", { exact: true }).selectOption(t.role);
          await owner.getByLabel("Type", { exact: true }).selectOption(t.type);
          await owner.getByRole("button", { name: "Send invitation" }).click();
          await expect(owner.getByText(`Invitation sent to ${t.user.email}.`)).toBeVisible({ timeout: 30_000 });
        }
        await ownerContext.close();
        for (const { user } of teammates) {
          const invitation = await mailbox.latest(user.email, "invitation");
          const context = await browser.newContext();
          const page = await context.newPage();
          await page.goto(String(invitation.payload.acceptUrl));
          await page.getByLabel("Your name").fill(user.name);
          await page.getByLabel("Choose a password").fill(user.password);
          await page.getByRole("button", { name: "Set password and join" }).click();
          await expect(page).not.toHaveURL(/\/invite\//, { timeout: 30_000 });
          await context.close();
        }
      } else {
        await seedOrganization({
          name,
          plan: orgPlan,
          owner: org.owner,
          teammates: teammates.map((t) => ({ ...t.user, role: t.role, type: t.type })),
        });
      }

      await use(org);

      // Deleted with everything that hangs off it (memberships, invitations, audit rows; the people's own rows).
      // A deployment has no way to delete an organization: there it stays, under its unique name.
      if (!isDeployedProject(testInfo)) {
        const emails = ROLES.map((r) => org[r].email);
        await query(`DELETE FROM "Organization" WHERE name = $1`, [name]);
        await query(`DELETE FROM "User" WHERE email = ANY($1)`, [emails]);
      }
    },
    { timeout: 240_000 },
  ],

  signedIn: async ({ browser, org }, use) => {
    const pages: Page[] = [];
    await use(async (role) => {
      const page = await signInAs(browser, org[role]);
      pages.push(page);
      return page;
    });
    for (const page of pages) await page.context().close();
  },

  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixtures a fixture needs from this pattern
  axe: async ({}, use) => {
    await use(expectAccessible);
  },
});
