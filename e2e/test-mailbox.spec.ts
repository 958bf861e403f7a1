// The test mailbox API (app/api/test-mailbox, lib/services/test-mailbox/) as a deployment exposes it: without the
// token it does not exist; with it, it returns the delivered mail, and each read is audited (checked in the local
// project, which can read the audit table). @deployed for the token checks.
import { E2E_TARGET_URL, E2E_TEST_MAILBOX_TOKEN } from "./app-env";
import { expect, test } from "./fixtures";
import { query, uniqueEmail } from "./support";

const token = () => (E2E_TARGET_URL ? process.env.TEST_MAILBOX_TOKEN : E2E_TEST_MAILBOX_TOKEN) ?? "";

test("the test mailbox answers only its token @deployed", async ({ request }) => {
  const path = `/api/test-mailbox?to=${encodeURIComponent("nobody@example.test")}&kind=invitation`;
  expect((await request.get(path)).status()).toBe(404);
  expect(
    (await request.get(path, { headers: { authorization: "Bearer wrong-token-wrong-token-wrong-token" } })).status(),
  ).toBe(404);
  const res = await request.get(path, { headers: { authorization: `Bearer ${token()}` } });
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ mail: null, pending: false });
});

test("every read of the test mailbox is audited", async ({ signedIn, mailbox, request }) => {
  const page = await signedIn("owner");
  await page.goto("/settings/users");
  const invitee = uniqueEmail("audited-invitee");
  await page.getByLabel("Email address").fill(invitee);
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText(`Invitation sent to ${invitee}.`)).toBeVisible();
  await mailbox.latest(invitee, "invitation"); // from the database: no audit row

  const res = await request.get(`/api/test-mailbox?to=${encodeURIComponent(invitee)}&kind=invitation`, {
    headers: { authorization: `Bearer ${token()}`, "user-agent": "qa-audit-check" },
  });
  const { mail } = (await res.json()) as { mail: { subject: string; text: string } };
  expect(mail.text).toMatch(/\/invite\/[A-Za-z0-9_-]{32,}/);
  const rows = await query<{ metadata: Record<string, unknown>; userAgent: string }>(
    `SELECT metadata, "userAgent" FROM "AuditEvent" WHERE type = 'test_mailbox.read' AND metadata->>'to' = $1`,
    [invitee],
  );
  expect(rows).toEqual([
    { metadata: { to: invitee, kind: "invitation", found: true, pending: false }, userAgent: "qa-audit-check" },
  ]);
});
