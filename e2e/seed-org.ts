// The `org` fixture of the local project: the organization made through the product's own services (sign-up,
// invitations accepted with their emailed token), as prisma/seed.ts makes the demo — the same rows, audit events and
// mail as through the UI, in well under a second. Runs in the Playwright worker against the suite's database.
import { E2E_APP_ENV } from "./app-env";

const context = { ip: "127.0.0.1", userAgent: "twofold-e2e-org-fixture" };

type Person = { name: string; email: string; password: string };
type Teammate = Person & { role: "ADMIN" | "MEMBER"; type: "EMPLOYEE" | "CLIENT" | "CONTRACTOR" };

export async function seedOrganization(input: {
  name: string;
  plan: "FREE" | "PROFESSIONAL" | "ENTERPRISE";
  owner: Person;
  teammates: Teammate[];
}): Promise<void> {
  // The services read their configuration (lib/env.ts) on first use: the server's, so sealed mail opens.
  for (const [key, value] of Object.entries(E2E_APP_ENV)) process.env[key] ??= value;
  // The embedded fallback (no PostgreSQL server) is one session: one connection, as the server has.
  if (!process.env.E2E_POSTGRES_SERVER_URL) process.env.DATABASE_POOL_SIZE ??= "1";
  const { db } = await import("../lib/db");
  const { signUp } = await import("../lib/services/accounts/sign-up");
  const { acceptInvitation } = await import("../lib/services/teammates/accept-invitation");
  const { inviteMember } = await import("../lib/services/teammates/invite");
  const { openPayload } = await import("../lib/mail/sealed-payload");

  const owner = await signUp({
    input: {
      name: input.owner.name,
      email: input.owner.email,
      password: input.owner.password,
      organizationName: input.name,
      plan: input.plan,
    },
    context,
  });
  const actor = { userId: owner.userId, organizationId: owner.organizationId, sessionId: null };
  for (const t of input.teammates) {
    await inviteMember({ actor, input: { email: t.email, role: t.role, type: t.type }, context });
    const mail = await db.outboxMessage.findFirstOrThrow({
      where: { to: t.email, template: "invitation" },
      orderBy: { createdAt: "desc" },
    });
    const token = String((openPayload(mail, mail.payload) as { acceptUrl?: string }).acceptUrl ?? "").split(
      "/invite/",
    )[1];
    if (!token) throw new Error(`org fixture: no invitation token for ${t.email}`);
    await acceptInvitation({ input: { token, name: t.name, password: t.password }, context });
  }
}

/** The `withTwoFactor` fixture of the local project: turns on an authenticator app for `person` through the services,
 *  as prisma/seed.ts does for the demo (a sign-in, then the enrolment confirmed with the password and a code), and
 *  returns the secret. The enrolment is dated two minutes back — as if the person had turned it on then — so the code
 *  that confirmed it is of a step long gone and the test's authenticator has the whole ±1 window to itself. */
export async function seedTwoFactor(person: { email: string; password: string }): Promise<{ secret: string }> {
  for (const [key, value] of Object.entries(E2E_APP_ENV)) process.env[key] ??= value;
  if (!process.env.E2E_POSTGRES_SERVER_URL) process.env.DATABASE_POOL_SIZE ??= "1";
  const { db } = await import("../lib/db");
  const { totpAt } = await import("../lib/crypto/totp");
  const { passwordStep } = await import("../lib/services/sign-in/password-step");
  const { completeSignIn } = await import("../lib/services/sign-in/complete-sign-in");
  const { startTotpEnrollment } = await import("../lib/services/two-factor/enrollment");
  const { confirmTotpEnrollment } = await import("../lib/services/two-factor/confirm-enrollment");

  const { id: userId } = await db.user.findUniqueOrThrow({ where: { email: person.email }, select: { id: true } });
  const { challengeToken } = await passwordStep({ input: { email: person.email, password: person.password }, context });
  const { sessionId } = await completeSignIn({ input: { challengeToken }, context });
  const actor = { userId, sessionId, organizationId: null };
  const started = await startTotpEnrollment({ actor, context });
  const secret = new URL(started.otpauthUri).searchParams.get("secret") ?? "";
  const then = new Date(Date.now() - 120_000);
  await confirmTotpEnrollment(
    { actor, input: { password: person.password, code: totpAt(secret, { time: then.getTime() }) }, context },
    { now: then },
  );
  return { secret };
}
