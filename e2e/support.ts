// What the fixtures (e2e/fixtures.ts) build on, and plain helpers for specs (forms, the demo accounts, rows of the
// suite's database). Mail is read from the database the server writes its outbox and local mailbox to — the same thing
// a person reading their inbox would see.
import { randomUUID } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { type Browser, expect, type Locator, type Page } from "@playwright/test";
import pg from "pg";
import { totpAt } from "../lib/crypto/totp";

export const DEMO_PASSWORD = "twofold-demo-2026";
export const DEMO = {
  owner: "owner@acme.test",
  admin: "admin@acme.test",
  member: "tom@acme.test",
  client: "client@acme.test",
  contractor: "contractor@acme.test",
};

export const uniqueEmail = (tag: string) => `${tag}-${randomUUID().slice(0, 8)}@example.test`;

export async function query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

// Codes, tokens and links are sealed in the outbox row and scrubbed once it is sent (S41): they are read from the
// delivered mail (the local mailbox the server's worker writes), as the person receiving it would read them.
const SECRET_IN_MAIL: Record<string, (mail: { subject: string; text: string }) => unknown> = {
  acceptUrl: (m) => m.text.match(/https?:\/\/\S+\/invite\/[A-Za-z0-9_-]+/)?.[0],
  resetUrl: (m) => m.text.match(/https?:\/\/\S+\/reset-password\/[A-Za-z0-9_-]+/)?.[0],
  reEnrollUrl: (m) => m.text.match(/https?:\/\/\S+\/re-enroll\/[A-Za-z0-9_-]+/)?.[0],
  codes: (m) => m.text.match(/\b[0-9a-z]{5}-[0-9a-z]{5}-[0-9a-z]{5}-[0-9a-z]{5}\b/g) ?? undefined,
  code: (m) => m.subject.match(/\b(\d{6})$/)?.[1],
};

type MailRow = { payload: Record<string, unknown>; subject: string | null; text: string | null };

export interface DeliveredMail {
  subject: string;
  text: string;
  /** The template data, its codes and links (sealed in the database, S41) as read from the delivered mail. */
  payload: Record<string, unknown>;
}

/** The codes and links a delivered mail carries, read from its subject and text as the recipient would. */
export function secretsFromMail(mail: { subject: string; text: string }): Record<string, unknown> {
  const found: Record<string, unknown> = {};
  for (const [field, read] of Object.entries(SECRET_IN_MAIL)) {
    const value = read(mail);
    if (value !== undefined) found[field] = value;
  }
  return found;
}

/** The newest mail of `template` to `to` from the suite's database (the `mailbox` fixture of the local project),
 *  waiting for it to be written (the outbox row is in the change's transaction) and delivered to the local mailbox
 *  (MAIL_TRANSPORT=local delivers every mail): its subject and text exist only then. Waiting for delivery only when
 *  the mail carried a secret returned an empty text on a loaded CI machine, where delivery lags the outbox row. */
export async function readMailFromDatabase(to: string, template: string): Promise<DeliveredMail> {
  let row: MailRow | undefined;
  await expect
    .poll(
      async () => {
        [row] = await query<MailRow>(
          `SELECT o.payload, m.subject, m.text FROM "OutboxMessage" o LEFT JOIN "MailboxMessage" m ON m."outboxId" = o.id
           WHERE o."to" = $1 AND o.template = $2 ORDER BY o."createdAt" DESC LIMIT 1`,
          [to, template],
        );
        return row !== undefined && row.text !== null;
      },
      { timeout: 20_000, message: `a "${template}" mail to ${to}` },
    )
    .toBe(true);
  const { payload, subject, text } = row as MailRow;
  const sealed = payload.$sealed as { fields?: string[] } | undefined;
  const fields = sealed?.fields ?? (payload.$scrubbed as string[] | undefined) ?? [];
  const data: Record<string, unknown> = { ...payload };
  delete data.$sealed;
  delete data.$scrubbed;
  for (const field of fields) {
    const value = SECRET_IN_MAIL[field]?.({ subject: subject ?? "", text: text ?? "" });
    if (value === undefined) throw new Error(`mailbox: no ${field} found in the delivered ${template} mail`);
    data[field] = value;
  }
  return { subject: subject ?? "", text: text ?? "", payload: data };
}

/** A text message as delivered to the local mailbox (issue 12): its whole text and the 6-digit code in it. */
export interface DeliveredText {
  to: string;
  text: string;
  code: string;
  /** the outbox template: "sms-code:<purpose>" (enrol, change-old, change-new, disable, sign-in, step-up) */
  template: string;
}

export function codeFromText(text: string): string {
  const code = /\b(\d{6})\b/.exec(text)?.[1];
  if (!code) throw new Error(`sms: no 6-digit code in the text "${text}"`);
  return code;
}

/** The newest text to `to` (E.164) from the suite's database, waiting up to 20 s for it to be delivered; `after`: only a
 *  text queued after this time (e.g. the previous text's, to wait for a resent code). */
export async function readTextFromDatabase(to: string, after?: Date): Promise<DeliveredText> {
  type Row = { text: string | null; template: string };
  let row: Row | undefined;
  await expect
    .poll(
      async () => {
        [row] = await query<Row>(
          `SELECT m.text, o.template FROM "OutboxMessage" o LEFT JOIN "MailboxMessage" m ON m."outboxId" = o.id
           WHERE o."to" = $1 AND o.kind = 'SMS' AND o."createdAt" > $2 ORDER BY o."createdAt" DESC LIMIT 1`,
          [to, (after ?? new Date(0)).toISOString().replace("T", " ").replace("Z", "")],
        );
        return typeof row?.text === "string";
      },
      { timeout: 20_000, message: `a text message to ${to}` },
    )
    .toBe(true);
  const { text, template } = row as { text: string; template: string };
  return { to, text, template, code: codeFromText(text) };
}

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD, callbackUrl?: string) {
  await page.goto(callbackUrl ? `/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Clicks `button` until `dialog` is open. React puts its props on an element while it hydrates, before the commit
 *  that attaches the refs a button opens its dialog through: on a throttled or busy browser `hydrated()` can pass and
 *  the first click still open nothing (seen in CI). A click is repeated only while the dialog is not open. */
export async function openDialogWith(button: Locator, dialog: Locator): Promise<Locator> {
  await expect(async () => {
    if (!(await dialog.isVisible())) await (await hydrated(button)).click();
    await expect(dialog).toBeVisible({ timeout: 3000 });
  }).toPass({ timeout: 45_000 });
  return dialog;
}

/** Waits until React has hydrated the element of `locator` (its event handlers are attached) and returns the locator:
 *  on a busy machine a click on the server-rendered HTML before that opens no dialog and a typed value triggers no
 *  rerender. React marks each element it has hydrated with its props (`__reactProps$…`); nothing in the product is
 *  added for the test. Forms that work without JavaScript (sign-in, the second step) need no wait. */
export async function hydrated(locator: Locator): Promise<Locator> {
  await expect
    .poll(() => locator.evaluate((el) => Object.keys(el).some((key) => key.startsWith("__reactProps$"))), {
      message: "the element is hydrated",
      timeout: 30_000,
    })
    .toBe(true);
  return locator;
}

export async function signedInPage(browser: Browser, email: string, password = DEMO_PASSWORD) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/dashboard$/);
  return { context, page };
}

export async function signUp(
  page: Page,
  opts: { name: string; email: string; password: string; organization: string },
) {
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill(opts.name);
  await page.getByLabel("Work email").fill(opts.email);
  await page.getByLabel("Password", { exact: true }).fill(opts.password);
  await page.getByLabel("Organization name").fill(opts.organization);
  await page.getByRole("button", { name: /create/i }).click();
}

/** WCAG 2.1 AA checks with axe on the current page, or on part of it (`within`: a selector such as an open dialog);
 *  fails with the list of violations. The `axe` fixture. */
export async function expectAccessible(page: Page, opts: { within?: string } = {}) {
  let builder = new AxeBuilder({ page });
  if (opts.within) builder = builder.include(opts.within);
  const results = await builder.withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const summary = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
  expect(summary, `accessibility violations on ${page.url()}${opts.within ? ` in ${opts.within}` : ""}`).toEqual([]);
}

/** Where the screenshots for people to look at go: E2E_SHOTS_DIR, else test-results/screens/ (cleared each run). */
export const SHOTS_DIR = process.env.E2E_SHOTS_DIR ?? "test-results/screens";
/** Screenshots are for people: taken locally, skipped on CI (nobody looks at them there, and each full-page capture
 *  is a second or two of a busy core's work), unless E2E_SHOTS=on asks (E2E_SHOTS=off skips them anywhere). Failures
 *  get their own screenshot and trace from Playwright either way. */
const SHOTS_WANTED = process.env.E2E_SHOTS ? process.env.E2E_SHOTS !== "off" : !process.env.CI;

/** A screenshot named `name` in SHOTS_DIR: the whole page, or the viewport (`fullPage: false`, e.g. with a dialog open:
 *  a full-page capture would stitch the modal's backdrop). */
export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}) {
  if (!SHOTS_WANTED) return;
  await page.screenshot({
    path: `${SHOTS_DIR}/${name}.png`,
    fullPage: opts.fullPage ?? true,
    animations: opts.fullPage === false ? "disabled" : "allow",
  });
}

/** An authenticator app (the `totp` fixture). Codes are single-use per 30-second step (S6: the server refuses a step
 *  at or before the last one used), so each code takes a step after the last one used. The server accepts the current
 *  step ±1, so three codes are available at once without waiting: the previous step's (only while at least
 *  `PREVIOUS_STEP_MARGIN_MS` of the current step are left, since it expires with it), the current one and the next.
 *  Past those (codes used in quick succession) it waits for the next step to come within the window instead of
 *  failing. A returned code stays accepted for at least 15 s (the previous step's) or 30 s, so no window edge is hit
 *  while a form is submitted. */
export const PREVIOUS_STEP_MARGIN_MS = 15_000;
export class Authenticator {
  private lastStep = 0;
  constructor(readonly secret: string) {}
  async nextCode(): Promise<string> {
    let now = Date.now();
    let step = Math.floor(now / 30_000);
    const oldest = (step + 1) * 30_000 - now >= PREVIOUS_STEP_MARGIN_MS ? step - 1 : step;
    const use = Math.max(this.lastStep + 1, oldest);
    if (use > step + 1) {
      // Wait for `use` to be the next step (then it is accepted for the whole of that step and the one after).
      await new Promise((r) => setTimeout(r, (use - 1) * 30_000 - now + 500));
      now = Date.now();
      step = Math.floor(now / 30_000);
    }
    this.lastStep = use;
    return totpAt(this.secret, { time: use * 30_000 });
  }
  /** The server saw a code of the step at `time` (e.g. the one that confirmed a seeded enrolment). */
  markUsed(time = Date.now()) {
    this.lastStep = Math.max(this.lastStep, Math.floor(time / 30_000));
  }
}
