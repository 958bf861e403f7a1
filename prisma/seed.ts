// Seeds the demo organization through the product's own services (idempotent: does nothing when it exists).
// Run by `npm start` / `npm run dev` on first start, or `npm run db:seed`.

import type { MembershipType, Role } from "../lib/db";
import { db } from "../lib/db";
import { openPayload } from "../lib/mail/sealed-payload";
import { signUp } from "../lib/services/accounts/sign-up";
import { acceptInvitation, inviteMember } from "../lib/services/teammates/invitations";

export const DEMO_PASSWORD = "twofold-demo-2026";
export const DEMO_OWNER_EMAIL = "owner@acme.test";

const context = { ip: "127.0.0.1", userAgent: "twofold-seed" };

const teammates: { name: string; email: string; role: Exclude<Role, "OWNER">; type: MembershipType }[] = [
  { name: "Ana Pereira", email: "admin@acme.test", role: "ADMIN", type: "EMPLOYEE" },
  { name: "Tom Li", email: "tom@acme.test", role: "MEMBER", type: "EMPLOYEE" },
  { name: "Chloe Martin", email: "client@acme.test", role: "MEMBER", type: "CLIENT" },
  { name: "Diego Ramos", email: "contractor@acme.test", role: "MEMBER", type: "CONTRACTOR" },
];

async function seed(): Promise<void> {
  const existing = await db.user.findUnique({ where: { email: DEMO_OWNER_EMAIL } });
  if (!existing) {
    const owner = await signUp(
      {
        name: "Olivia Owens",
        email: DEMO_OWNER_EMAIL,
        password: DEMO_PASSWORD,
        organizationName: "Acme Inc",
        plan: "PROFESSIONAL",
      },
      context,
    );
    const actor = { userId: owner.userId, organizationId: owner.organizationId, sessionId: null };
    for (const t of teammates) {
      // Invite and accept through the real flow; the token is read back from the outbox mail.
      await inviteMember(actor, { email: t.email, role: t.role, type: t.type }, context);
      const mail = await db.outboxMessage.findFirst({
        where: { to: t.email, template: "invitation" },
        orderBy: { createdAt: "desc" },
      });
      // The link is sealed in the row (S41): open it as the worker does at send time.
      const data = mail ? (openPayload(mail, mail.payload) as { acceptUrl?: string }) : {};
      const url = String(data.acceptUrl ?? "");
      const token = url.split("/invite/")[1];
      if (!token) throw new Error(`seed: no invitation mail for ${t.email}`);
      await acceptInvitation({ token, name: t.name, password: DEMO_PASSWORD }, context);
    }
    console.log("Seeded the demo organization “Acme Inc”.");
  }
  console.log("");
  console.log("  Demo sign-in (password for every demo account: %s)", DEMO_PASSWORD);
  console.log("    owner          %s", DEMO_OWNER_EMAIL);
  for (const t of teammates)
    console.log("    %s %s", t.role === "ADMIN" ? "admin         " : `${t.type.toLowerCase().padEnd(14)}`, t.email);
  console.log("");
}

seed()
  .then(() => db.$disconnect())
  .catch(async (e) => {
    console.error("Seeding failed:", e instanceof Error ? e.message : e);
    await db.$disconnect();
    process.exit(1);
  });
