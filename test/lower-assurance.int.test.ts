// S30, one matrix: a session whose sign-in skipped the second step (here: from a trusted network) is lower assurance.
// Every owner/administrator action and every security change of one's own, called as the browser calls it (the real
// server action: Origin check, guard, schema, service), answers STEP_UP_REQUIRED and changes nothing; every security
// and admin page sends the session to the step-up page. After one step-up (a code from an existing factor, through
// the real step-up action) the same calls go through. The services refuse too (authz), for a caller that forgets the
// guard. Removing the check from lib/auth/guards.ts or lib/services/authz.ts fails here.
import fs from "node:fs";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { ActionResult } from "@/lib/actions/action-client";
import { totpAt } from "@/lib/crypto/totp";
import { db } from "@/lib/db";
import { authSecret, env } from "@/lib/env";
import { DomainError, isDomainError } from "@/lib/errors";
import { completeSignIn } from "@/lib/services/sign-in/complete-sign-in";
import { passwordStep } from "@/lib/services/sign-in/password-step";
import { saveUsersTableColumns } from "@/lib/services/teammates/columns";
import { inviteMember } from "@/lib/services/teammates/invite";
import { addTrustedNetwork } from "@/lib/services/trusted-access/trusted-networks";
import { addMember, createOrgWithOwner, ctx, PASSWORD, withTwoFactor } from "@/test/factories";
import { footprint } from "@/test/fault";

const request = vi.hoisted(() => ({ cookies: new Map<string, string>(), headers: new Map<string, string>() }));
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (request.cookies.has(name) ? { name, value: request.cookies.get(name) } : undefined),
    has: (name: string) => request.cookies.has(name),
    getAll: () => [...request.cookies].map(([name, value]) => ({ name, value })),
    set: (name: string, value: string) => request.cookies.set(name, value),
    delete: (name: string) => request.cookies.delete(name),
  }),
  headers: async () => new Headers([...request.headers]),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));

const guards = await import("@/lib/auth/guards");
const { SESSION_COOKIE } = await import("@/lib/auth/cookies");
const { SOCKET_IP_HEADER } = await import("@/lib/net/client-ip");
const { ADMINS } = await import("@/lib/auth/actor");
const { stepUpAction } = await import("@/app/(console)/step-up-action");
const consoleActions = await import("@/app/(console)/actions");
const teammateActions = await import("@/app/(console)/settings/users/teammate-actions");
const tableActions = await import("@/app/(console)/settings/users/table-actions");
const securityActions = await import("@/app/(console)/settings/security/actions");
const networkActions = await import("@/app/(console)/settings/security/trusted-network-actions");
const dashboardActions = await import("@/app/(console)/dashboard/actions");
const ownerActions = await import("@/app/(console)/settings/owner/actions");
const passwordActions = await import("@/app/(console)/profile/security/password/actions");
const twoFactorActions = await import("@/app/(console)/profile/security/two-factor/actions");

const OFFICE_IP = "203.0.113.40";
const ROOT = path.resolve(import.meta.dirname, "..");

/** The browser of `sessionId` on `path`, from the office, with a same-origin request's headers. */
async function browserOf(sessionId: string, userId: string, path = "/dashboard") {
  request.cookies.clear();
  request.headers.clear();
  const origin = new URL(env.NEXTAUTH_URL);
  request.headers.set("origin", origin.origin);
  request.headers.set("host", origin.host);
  request.headers.set("sec-fetch-site", "same-origin");
  request.headers.set("user-agent", "vitest");
  request.headers.set(SOCKET_IP_HEADER, OFFICE_IP);
  request.headers.set("x-twofold-path", path);
  request.cookies.set(SESSION_COOKIE, await encode({ token: { sub: userId, sid: sessionId }, secret: authSecret() }));
}

/** A sign-in from the office: the trusted network skips the code; the session is lower assurance. */
async function officeSignIn(p: { email: string }) {
  const context = { ip: OFFICE_IP, userAgent: "vitest" };
  const { challengeToken, requirement } = await passwordStep({
    input: { email: p.email, password: PASSWORD },
    context,
  });
  expect(requirement).toBe("none");
  const { sessionId } = await completeSignIn({ input: { challengeToken }, context });
  expect(await db.session.findUniqueOrThrow({ where: { id: sessionId } })).toMatchObject({ lowerAssurance: true });
  return sessionId;
}

async function outcome(guard: () => Promise<unknown>): Promise<string> {
  try {
    await guard();
    return "ok";
  } catch (e) {
    if (isDomainError(e)) return e.code;
    const digest = (e as { digest?: unknown }).digest;
    if (typeof digest === "string" && digest.startsWith("NEXT_REDIRECT")) return `redirect ${digest.split(";")[2]}`;
    if (typeof digest === "string" && digest.startsWith("NEXT_HTTP_ERROR_FALLBACK"))
      return `http ${digest.split(";")[1]}`;
    throw e;
  }
}
const codeOf = (r: ActionResult<unknown>) => (r.ok ? "ok" : r.code);

type Action = (input: never) => Promise<ActionResult<unknown>>;
interface Row {
  name: string;
  action: Action;
  input: () => Record<string, unknown>;
  /** What the call answers once the session stepped up (a refusal that is the service's own business, never a
   *  step-up). */
  after: string;
}

let w: Awaited<ReturnType<typeof world>>;
async function world() {
  const t0 = new Date(Date.now() - 5 * 60_000);
  const base = await createOrgWithOwner({ plan: "PROFESSIONAL", name: "Assurance Org" });
  const owner = await withTwoFactor(base, t0);
  const admin = await withTwoFactor(await addMember(base.actor, { role: "ADMIN", name: "Ada Admin" }), t0);
  const resetTarget = await withTwoFactor(await addMember(base.actor, { name: "Rita Reset" }), t0);
  const codesTarget = await withTwoFactor(await addMember(base.actor, { name: "Carl Codes" }), t0);
  const promoted = await addMember(base.actor, { name: "Pia Promoted" });
  const bare = await addMember(base.actor, { name: "Bea Bare" });
  const member = await withTwoFactor(await addMember(base.actor, { name: "Max Member" }), t0);
  const admin2 = await withTwoFactor(await addMember(base.actor, { role: "ADMIN", name: "Abe Admin" }), t0);
  await inviteMember({
    actor: base.actor,
    input: { email: "pending-assurance@example.test", role: "MEMBER", type: "EMPLOYEE" },
    context: ctx,
  });
  const invitation = await db.invitation.findFirstOrThrow({
    where: { organizationId: base.organizationId, email: "pending-assurance@example.test" },
  });
  const ownerActor = { ...base.actor, sessionId: owner.sessionId };
  const office = await addTrustedNetwork({
    actor: ownerActor,
    input: { cidr: "203.0.113.0/24", label: "Office" },
    context: ctx,
  });
  const spare = await addTrustedNetwork({
    actor: ownerActor,
    input: { cidr: "198.51.100.0/24", label: "Spare" },
    context: ctx,
  });
  return { base, owner, admin, admin2, member, resetTarget, codesTarget, promoted, bare, invitation, office, spare };
}

beforeAll(async () => {
  w = await world();
});
// The matrix narrows the trusted networks to members; every test starts from "everyone" (office sign-ins skip the code).
beforeEach(async () => {
  await db.organization.update({ where: { id: w.base.organizationId }, data: { trustedNetworkScope: "EVERYONE" } });
});

/** Every owner/administrator action and every security change of one's own, with an input that would succeed. */
function matrix(): Row[] {
  const a = w.admin;
  return [
    {
      name: "invite",
      action: consoleActions.inviteAction,
      input: () => ({ email: "new-assurance@example.test", role: "MEMBER", type: "EMPLOYEE" }),
      after: "ok",
    },
    {
      name: "change role (promotion)",
      action: consoleActions.changeRoleAction,
      input: () => ({ membershipId: w.promoted.membershipId, role: "ADMIN" }),
      after: "ok",
    },
    {
      name: "revoke invitation",
      action: consoleActions.revokeInvitationAction,
      input: () => ({ invitationId: w.invitation.id }),
      after: "ok",
    },
    {
      name: "reset 2FA",
      action: teammateActions.resetTwoFactorAction,
      input: () => ({ membershipId: w.resetTarget.membershipId }),
      after: "ok",
    },
    {
      name: "issue recovery codes",
      action: teammateActions.issueRecoveryCodesAction,
      input: () => ({ membershipId: w.codesTarget.membershipId }),
      after: "ok",
    },
    {
      name: "sign out everywhere",
      action: teammateActions.signOutEverywhereAction,
      input: () => ({ membershipId: w.codesTarget.membershipId }),
      after: "ok",
    },
    {
      name: "grant exemption",
      action: teammateActions.grantExemptionAction,
      input: () => ({ membershipId: w.bare.membershipId, days: 7, reason: "Phone in repair" }),
      after: "ok",
    },
    {
      name: "revoke exemption",
      action: teammateActions.revokeExemptionAction,
      input: () => ({ membershipId: w.bare.membershipId }),
      after: "ok",
    },
    {
      name: "send reminder",
      action: teammateActions.sendReminderAction,
      input: () => ({ membershipId: w.bare.membershipId }),
      after: "ok",
    },
    {
      name: "unlock teammate",
      action: teammateActions.unlockTeammateAction,
      input: () => ({ membershipId: w.bare.membershipId }),
      after: "TEAMMATE_NOT_LOCKED",
    },
    {
      name: "Users table columns",
      action: tableActions.saveUsersTableColumnsAction,
      input: () => ({ columns: ["twoFactor"] }),
      after: "ok",
    },
    {
      name: "request upgrade",
      action: dashboardActions.requestUpgradeAction,
      input: () => ({ plan: "ENTERPRISE", seats: 40, message: "More seats" }),
      after: "ok",
    },
    {
      name: "recovery-code alert off",
      action: securityActions.setRecoveryCodeAlertAction,
      input: () => ({ enabled: false }),
      after: "ok",
    },
    {
      name: "remember-device days and the risk-based prompt",
      action: securityActions.setDeviceTrustAction,
      input: () => ({ rememberDeviceDays: 7, riskBasedPrompt: true }),
      after: "ok",
    },
    {
      name: "add trusted network",
      action: networkActions.addTrustedNetworkAction,
      input: () => ({ cidr: "192.0.2.0/24", label: "Lab" }),
      after: "ok",
    },
    {
      name: "remove trusted network",
      action: networkActions.removeTrustedNetworkAction,
      input: () => ({ id: w.spare.id }),
      after: "ok",
    },
    {
      name: "trusted networks scope",
      action: networkActions.setTrustedNetworkScopeAction,
      input: () => ({ scope: "MEMBERS_ONLY" }),
      after: "ok",
    },
    {
      name: "2FA policy",
      action: securityActions.savePolicyAction,
      input: () => ({
        requireTwoFactor: true,
        mode: "NEXT_SIGN_IN",
        exemptSso: true,
        allowedMethods: ["TOTP"],
        expectedVersion: 0,
      }),
      after: "ok",
    },
    // Security changes of one's own (the admin's account).
    {
      name: "change password",
      action: passwordActions.changePasswordAction,
      input: () => ({
        currentPassword: PASSWORD,
        newPassword: "a brand new passphrase 2026",
        method: "recovery",
        code: a.recoveryCodes[2],
      }),
      after: "ok",
    },
    {
      name: "regenerate recovery codes",
      action: twoFactorActions.regenerateCodesAction,
      input: () => ({ method: "recovery", password: "a brand new passphrase 2026", code: a.recoveryCodes[1] }),
      after: "ok",
    },
    {
      name: "start moving 2FA to a new app",
      action: twoFactorActions.startEnrollmentAction,
      input: () => ({}),
      after: "ok",
    },
    {
      // Without a code from the current app (S39) the move is refused, by the service, not by the step-up.
      name: "confirm moving 2FA to a new app",
      action: twoFactorActions.confirmEnrollmentAction,
      input: () => ({ password: "a brand new passphrase 2026", code: "123456" }),
      after: "CURRENT_FACTOR_REQUIRED",
    },
    // Refused by the organization's requirement (turned on above), never by the step-up.
    {
      name: "turn 2FA off",
      action: twoFactorActions.disableTwoFactorAction,
      input: () => ({ method: "recovery", password: "a brand new passphrase 2026", code: a.recoveryCodes[3] }),
      after: "POLICY_REQUIRES_TWO_FACTOR",
    },
  ] as Row[];
}

/** Every `export const x = defineAction({ … auth: ADMINS … })` or `securityChange: true` in app/: "file#x". */
function adminAndSecurityActions(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name)) {
        const src = fs.readFileSync(p, "utf8");
        for (const m of src.matchAll(/export\s+const\s+(\w+)\s*=\s*defineAction\s*\(\s*(\{[^}]*\})/g))
          if (/auth:\s*ADMINS|securityChange:\s*true/.test(m[2] ?? ""))
            found.push(`${path.relative(ROOT, p).split(path.sep).join("/")}#${m[1]}`);
      }
    }
  };
  walk(path.join(ROOT, "app"));
  return found.sort();
}

describe("S30: a lower-assurance session steps up before security settings and admin actions", () => {
  it("the matrix names every owner/administrator action and every own security change of the app", async () => {
    const inMatrix = new Set<unknown>(matrix().map((r) => r.action));
    const missing: string[] = [];
    for (const key of adminAndSecurityActions()) {
      const [file, name] = key.split("#") as [string, string];
      const mod = (await import(path.join(ROOT, file))) as Record<string, unknown>;
      if (!inMatrix.has(mod[name])) missing.push(key);
    }
    // The owner's transfer has its own test below.
    expect(missing).toEqual(["app/(console)/settings/owner/actions.ts#transferOwnershipAction"]);
  });

  it("every admin action and own security change: refused, nothing written; after one step-up, each goes through", async () => {
    const sessionId = await officeSignIn(w.admin);
    await browserOf(sessionId, w.admin.userId);
    const rows = matrix();
    const needles = [w.base.organizationId, w.admin.userId, w.admin.email];
    const before = await footprint(needles);
    const refused: Record<string, string> = {};
    for (const row of rows) refused[row.name] = codeOf(await row.action(row.input() as never));
    expect(refused).toEqual(Object.fromEntries(rows.map((r) => [r.name, "STEP_UP_REQUIRED"])));
    // Nothing of the organization or the admin's account changed (the session's own lastSeenAt aside: not touched
    // within a minute).
    expect(await footprint(needles)).toEqual(before);

    // Member-level things still work without a step-up: the dashboard, one's own sessions.
    expect(await outcome(() => guards.requireOrgRole("any"))).toBe("ok");
    expect(codeOf(await consoleActions.signOutOtherSessionsAction({}))).toBe("ok");

    // One step-up with the admin's own authenticator, through the real action.
    const stepped = await stepUpAction({ method: "totp", code: totpAt(w.admin.secret, { time: Date.now() }) });
    expect(stepped).toMatchObject({ ok: true });
    const passed: Record<string, string> = {};
    for (const row of rows) passed[row.name] = codeOf(await row.action(row.input() as never));
    expect(passed).toEqual(Object.fromEntries(rows.map((r) => [r.name, r.after])));
  });

  it("pages: security and admin pages send the session to the step-up page (and back), member pages open", async () => {
    const { member, admin2: admin } = w;
    const sessionId = await officeSignIn(admin);
    const to = (path: string) => `redirect /profile/step-up?callbackUrl=${encodeURIComponent(path)}`;
    const pages: Array<[string, () => Promise<unknown>]> = [
      ["/settings/security", () => guards.pageOrgRole(ADMINS)],
      ["/audit-log?type=signin.failed", () => guards.pageOrgRole(ADMINS)],
      ["/profile/security/password", () => guards.pageUser({ securityChange: true })],
      ["/profile/security/two-factor/disable", () => guards.pageUser({ securityChange: true })],
      ["/profile/security/two-factor/setup", () => guards.pageUser({ duringSetup: true, securityChange: true })],
    ];
    for (const [path, guard] of pages) {
      await browserOf(sessionId, admin.userId, path);
      expect(await outcome(guard), path).toBe(to(path));
    }
    await browserOf(sessionId, admin.userId, "/dashboard");
    expect(await outcome(() => guards.pageOrgRole("any"))).toBe("ok");
    expect(await outcome(() => guards.pageUser())).toBe("ok");
    expect(await outcome(() => guards.requireOrgRole(ADMINS))).toBe("STEP_UP_REQUIRED");

    // A member (no admin pages at all) steps up for their own security changes too: the step-up action is theirs.
    const memberSession = await officeSignIn(member);
    await browserOf(memberSession, member.userId, "/profile/security/password");
    expect(await outcome(() => guards.pageUser({ securityChange: true }))).toBe(to("/profile/security/password"));
    expect(await outcome(() => guards.requireOrgRole(ADMINS))).toBe("FORBIDDEN");
    expect(codeOf(await stepUpAction({ method: "recovery", code: member.recoveryCodes[0] as string }))).toBe("ok");
    expect(await outcome(() => guards.pageUser({ securityChange: true }))).toBe("ok");

    // The admin after a step-up: every page opens.
    await browserOf(sessionId, admin.userId, "/settings/security");
    expect(codeOf(await stepUpAction({ method: "recovery", code: admin.recoveryCodes[5] as string }))).toBe("ok");
    for (const [path, guard] of pages) {
      await browserOf(sessionId, admin.userId, path);
      expect(await outcome(guard), path).toBe("ok");
    }
  });

  it("the owner: Settings > Owner and the transfer wait for a step-up; the services refuse a forgetful caller too", async () => {
    const sessionId = await officeSignIn(w.owner);
    await browserOf(sessionId, w.owner.userId, "/settings/owner");
    const ctxOwner = await guards.requireOrgRole("any");
    expect(await outcome(() => guards.pageAssurance(ctxOwner))).toBe(
      `redirect /profile/step-up?callbackUrl=${encodeURIComponent("/settings/owner")}`,
    );
    const transfer = () =>
      ownerActions.transferOwnershipAction({
        membershipId: w.admin2.membershipId,
        password: PASSWORD,
        code: totpAt(w.owner.secret, { time: Date.now() }),
      });
    expect(codeOf(await transfer())).toBe("STEP_UP_REQUIRED");
    expect(await db.organization.findUniqueOrThrow({ where: { id: w.base.organizationId } })).toBeTruthy();
    expect((await db.membership.findUniqueOrThrow({ where: { id: w.admin2.membershipId } })).role).not.toBe("OWNER");

    // A service called without the guard: authz refuses a lower-assurance session by itself.
    const actor = { userId: w.owner.userId, organizationId: w.base.organizationId, sessionId };
    const direct = await saveUsersTableColumns({ actor, input: { columns: ["twoFactor"] } }).then(
      () => "ok",
      (e) => (e instanceof DomainError ? e.code : String(e)),
    );
    expect(direct).toBe("STEP_UP_REQUIRED");

    expect(codeOf(await stepUpAction({ method: "recovery", code: w.owner.recoveryCodes[0] as string }))).toBe("ok");
    expect(await outcome(async () => guards.pageAssurance(await guards.requireOrgRole("any")))).toBe("ok");
    expect(codeOf(await transfer())).toBe("ok");
    expect((await db.membership.findUniqueOrThrow({ where: { id: w.admin2.membershipId } })).role).toBe("OWNER");
  });
});
