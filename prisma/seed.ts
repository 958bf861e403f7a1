// Seeds the demo organization through the product's own services (idempotent: does nothing when it exists).
// Run by `npm start` / `npm run dev` on first start, or `npm run db:seed`.

import type { Actor } from "../lib/auth/actor";
import { totpAt } from "../lib/crypto/totp";
import type { MembershipType, Role } from "../lib/db";
import { db } from "../lib/db";
import { openPayload } from "../lib/mail/sealed-payload";
import { signUp } from "../lib/services/accounts/sign-up";
import { recordDemoHistory } from "../lib/services/dashboard/history";
import { completeSignIn } from "../lib/services/sign-in/complete-sign-in";
import { passwordStep } from "../lib/services/sign-in/password-step";
import { acceptInvitation } from "../lib/services/teammates/accept-invitation";
import { inviteMember } from "../lib/services/teammates/invite";
import { confirmTotpEnrollment } from "../lib/services/two-factor/confirm-enrollment";
import { startTotpEnrollment } from "../lib/services/two-factor/enrollment";

export const DEMO_PASSWORD = "twofold-demo-2026";
export const DEMO_OWNER_EMAIL = "owner@acme.test";

const context = { ip: "127.0.0.1", userAgent: "twofold-seed" };

const teammates: { name: string; email: string; role: Exclude<Role, "OWNER">; type: MembershipType }[] = [
  { name: "Ana Pereira", email: "admin@acme.test", role: "ADMIN", type: "EMPLOYEE" },
  { name: "Tom Li", email: "tom@acme.test", role: "MEMBER", type: "EMPLOYEE" },
  { name: "Chloe Martin", email: "client@acme.test", role: "MEMBER", type: "CLIENT" },
  { name: "Diego Ramos", email: "contractor@acme.test", role: "MEMBER", type: "CONTRACTOR" },
];

// The rest of the team (issue 15: a dashboard with something to show). They have the demo password too; those marked
// `twoFactor` turned on an authenticator app during seeding (their secret is not kept: they are background people).
const moreTeammates: { name: string; type: MembershipType; twoFactor: boolean; role?: "ADMIN" }[] = [
  { name: "Nina Okafor", type: "EMPLOYEE", twoFactor: true, role: "ADMIN" },
  { name: "Samir Haddad", type: "EMPLOYEE", twoFactor: true },
  { name: "Lena Vogel", type: "EMPLOYEE", twoFactor: true },
  { name: "Kenji Watanabe", type: "EMPLOYEE", twoFactor: true },
  { name: "Maria Rossi", type: "EMPLOYEE", twoFactor: true },
  { name: "Owen Price", type: "EMPLOYEE", twoFactor: false },
  { name: "Priya Nair", type: "EMPLOYEE", twoFactor: true },
  { name: "Jonas Berg", type: "EMPLOYEE", twoFactor: false },
  { name: "Fatima Zahra", type: "CLIENT", twoFactor: true },
  { name: "Lucas Moreau", type: "CLIENT", twoFactor: false },
  { name: "Grace Kim", type: "CONTRACTOR", twoFactor: true },
  { name: "Ivan Petrov", type: "CONTRACTOR", twoFactor: false },
];
const emailOf = (name: string) => `${name.split(" ")[0]?.toLowerCase()}@acme.test`;

async function join(
  actor: Actor,
  t: { name: string; email: string; role: Exclude<Role, "OWNER">; type: MembershipType },
): Promise<string> {
  // Invite and accept through the real flow; the token is read back from the outbox mail.
  await inviteMember({ actor, input: { email: t.email, role: t.role, type: t.type }, context });
  const mail = await db.outboxMessage.findFirst({
    where: { to: t.email, template: "invitation" },
    orderBy: { createdAt: "desc" },
  });
  // The link is sealed in the row (S41): open it as the worker does at send time.
  const data = mail ? (openPayload(mail, mail.payload) as { acceptUrl?: string }) : {};
  const url = String(data.acceptUrl ?? "");
  const token = url.split("/invite/")[1];
  if (!token) throw new Error(`seed: no invitation mail for ${t.email}`);
  return (await acceptInvitation({ input: { token, name: t.name, password: DEMO_PASSWORD }, context })).userId;
}

/** Signs `email` in and turns on an authenticator app, as a person does on Profile > Security. */
async function enrol(userId: string, email: string): Promise<void> {
  const { challengeToken } = await passwordStep({ input: { email, password: DEMO_PASSWORD }, context });
  const { sessionId } = await completeSignIn({ input: { challengeToken }, context });
  const started = await startTotpEnrollment({ actor: { userId, sessionId, organizationId: null }, context });
  const secret = new URL(started.otpauthUri).searchParams.get("secret") ?? "";
  await confirmTotpEnrollment({
    actor: { userId, sessionId, organizationId: null },
    input: { password: DEMO_PASSWORD, code: totpAt(secret, { time: Date.now() }) },
    context,
  });
}

/** A believable 90-day rollout before today: the team grew, and adoption climbed in an S-curve to where it is now. */
function demoHistory(members: number, enrolled: number, now: Date) {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: 89 }, (_, i) => {
    const t = (i + 1) / 89; // day 1 of 89 … yesterday
    const m = Math.round(members * (0.55 + 0.45 * t));
    const curve = 1 / (1 + Math.exp(-10 * (t - 0.55)));
    const e = Math.min(m, Math.round(enrolled * curve * (i === 88 ? 1 : 0.97)));
    return { day: new Date(today - (89 - i) * 86_400_000), members: m, enrolled: e };
  });
}

async function seed(): Promise<void> {
  const existing = await db.user.findUnique({ where: { email: DEMO_OWNER_EMAIL } });
  if (!existing) {
    const owner = await signUp({
      input: {
        name: "Olivia Owens",
        email: DEMO_OWNER_EMAIL,
        password: DEMO_PASSWORD,
        organizationName: "Acme Inc",
        plan: "PROFESSIONAL",
      },
      context,
    });
    const actor = { userId: owner.userId, organizationId: owner.organizationId, sessionId: null };
    for (const t of teammates) await join(actor, t);
    for (const t of moreTeammates) {
      const email = emailOf(t.name);
      const userId = await join(actor, { name: t.name, email, role: t.role ?? "MEMBER", type: t.type });
      if (t.twoFactor) await enrol(userId, email);
    }
    const members = 1 + teammates.length + moreTeammates.length;
    const enrolled = moreTeammates.filter((t) => t.twoFactor).length;
    // The organization was created just now: the 89 days before it are the demo's made-up past (the dashboard's
    // chart), kept apart from the real history (source "seed").
    await recordDemoHistory(db, owner.organizationId, demoHistory(members, enrolled, new Date()));
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
