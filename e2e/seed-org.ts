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
