// Lockouts a person understands (issue 10 item 5): "N attempts left" from the third wrong code, the unlock time in the
// browser's own time zone (here New York, whatever the server's zone), and a new sign-in during the lock told so at
// once on the verify page, before any code is typed. The lock mail (item 8) reaches the mailbox once.
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { query, screenshot, signIn } from "./support";

const ZONE = "America/New_York";
test.use({ timezoneId: ZONE });

/** "18:42 GMT-5": how the page must say an instant in New York (en-GB, the zone's short name). */
const inNewYork = (d: Date) =>
  new Intl.DateTimeFormat("en-GB", {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: ZONE,
    timeZoneName: "short",
  }).format(d);

async function wrongCode(page: Page, code: string) {
  await page.getByLabel("Authentication code").fill(code);
  await page.getByRole("button", { name: "Verify and sign in" }).click();
}

test("attempts left from the third wrong code, the unlock time in the browser's zone, and the lock shown at once on a new sign-in", async ({
  page,
  org,
  withTwoFactor,
  mailbox,
  axe,
}) => {
  test.setTimeout(180_000);
  const { email, password: PASSWORD } = org.employee;
  await withTwoFactor(org.employee);
  // The browser tells the server its zone (on every page, the sign-in page included).
  await page.goto("/sign-in");
  await expect
    .poll(async () => (await page.context().cookies()).find((c) => c.name === "twofold-tz")?.value)
    .toBe(ZONE);

  await signIn(page, email, PASSWORD);
  await expect(page).toHaveURL(/\/sign-in\/verify/);
  const field = page.locator("#code");
  for (let i = 1; i <= 2; i++) {
    await wrongCode(page, String(100000 + i));
    await expect(page.getByText(/That code is not right/)).toBeVisible();
    await expect(page.getByText(/attempts? left/)).toHaveCount(0);
  }
  for (let i = 3; i <= 9; i++) {
    await wrongCode(page, String(100000 + i));
    const left = 10 - i;
    await expect(
      page.getByText(`${left} attempt${left === 1 ? "" : "s"} left before two-factor sign-in is locked.`),
    ).toBeVisible();
    if (i === 3) {
      await expect(field).toHaveAttribute("aria-invalid", "true");
      await screenshot(page, "lockouts-attempts-left");
    }
  }

  // Reloading the page keeps the figure (read from the server's counter, not remembered by the page).
  await page.reload();
  await expect(page.getByTestId("attempts-left")).toHaveText("1 attempt left before two-factor sign-in is locked.");

  await wrongCode(page, "999999");
  // The answer first (the lock is written by that request): reading the row before it races the server.
  await expect(page.getByText(/Too many wrong codes\. Try again after/)).toBeVisible();
  const [row] = await query<{ lockedUntil: Date }>(
    `SELECT r."lockedUntil" FROM "RateLimit" r JOIN "User" u ON r.key = '2fa:user:' || u.id WHERE u.email = $1`,
    [email],
  );
  const until = inNewYork(new Date(row?.lockedUntil ?? 0));
  expect(until).toMatch(/^\d\d:\d\d GMT-[45]$/);
  await expect(page.getByText(`Too many wrong codes. Try again after ${until}`)).toBeVisible();
  await expect(page.getByText(/UTC/)).toHaveCount(0);

  // A new sign-in during the lock: the verify page says so at once, with the unlock time, and asks for no code.
  await signIn(page, email, PASSWORD);
  await expect(page).toHaveURL(/\/sign-in\/verify/);
  await expect(page.getByRole("alert").filter({ hasText: "Two-factor sign-in is temporarily locked." })).toBeVisible();
  await expect(page.getByTestId("lock-message")).toContainText(`Try again after ${until}`);
  await expect(page.getByTestId("lock-message")).toContainText("ask an administrator");
  await expect(page.getByLabel("Authentication code")).toHaveCount(0);
  await axe(page);
  await screenshot(page, "lockouts-locked-at-once");

  // The account holder got one lock mail, saying when it unlocks and what to do.
  const mail = await mailbox.latest(email, "account-locked");
  expect(mail.text).toContain("Locked until");
  expect(mail.text).toMatch(/recovery code/);
  expect(
    Number(
      (
        await query<{ n: string }>(
          `SELECT count(*) AS n FROM "OutboxMessage" WHERE "to" = $1 AND template = 'account-locked'`,
          [email],
        )
      )[0]?.n,
    ),
  ).toBe(1);
});
