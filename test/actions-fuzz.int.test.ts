// S45: every server action, called as a crafted POST would call it (the real action with its Origin check, guard and
// schema), with hostile input in each field — a NUL byte, 100 KB, a lone UTF-16 surrogate (invalid UTF-8), values of
// the wrong type, missing fields, a body that is not an object — answers with a field message: never a throw, never
// the generic "something went wrong" (a 500 in a form), never the database's words, and no row is written.
// The table must name every action: a static scan of app/**/*.ts finds each `export const x = defineAction(`, so an
// action added without its fuzz entry fails this test.
import fs from "node:fs";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { ActionResult } from "@/lib/actions/action-client";
import { authSecret, env } from "@/lib/env";
import { createOrgWithOwner, withTwoFactor } from "@/test/factories";
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

const ROOT = path.resolve(import.meta.dirname, "..");

type FieldKind = "string" | "number" | "boolean" | "array";
interface Entry {
  /** An input the schema accepts; if a hostile variant were accepted too, the service would refuse it harmlessly. */
  valid: Record<string, unknown>;
  /** Fields that may be missing (and, for nullable ones, null). */
  optional?: string[];
}

const PASSWORD = "a long enough passphrase";
const ID = "c0000000000000000000none";
const TOKEN = "x".repeat(43);
const TABLE: Record<string, Entry> = {
  "app/(auth)/actions.ts#signInAction": { valid: { email: "nobody@example.test", password: PASSWORD } },
  "app/(auth)/actions.ts#signUpAction": {
    valid: { name: "Fuzz Person", email: "fuzz@example.test", password: PASSWORD, organizationName: "Fuzz Org" },
  },
  "app/(auth)/actions.ts#acceptInvitationAction": {
    valid: { token: TOKEN, name: "Fuzz Person", password: PASSWORD },
    optional: ["name"],
  },
  "app/(auth)/actions.ts#verifySignInAction": {
    valid: { method: "totp", code: "123456", rememberDevice: false },
    optional: ["rememberDevice"],
  },
  "app/(auth)/re-enroll/actions.ts#reEnrollAction": { valid: { token: TOKEN, password: PASSWORD } },
  "app/(auth)/forgot-password/actions.ts#requestPasswordResetAction": { valid: { email: "nobody@example.test" } },
  "app/(auth)/forgot-password/actions.ts#resetPasswordAction": { valid: { token: TOKEN, password: PASSWORD } },
  "app/(console)/profile/security/password/actions.ts#changePasswordAction": {
    valid: { currentPassword: PASSWORD, newPassword: "another long passphrase", method: "totp", code: "123456" },
    optional: ["method", "code"],
  },
  "app/(console)/actions.ts#inviteAction": {
    valid: { email: "fuzz-invitee@example.test", role: "MEMBER", type: "EMPLOYEE" },
  },
  "app/(console)/actions.ts#changeRoleAction": { valid: { membershipId: ID, role: "ADMIN" } },
  "app/(console)/actions.ts#revokeInvitationAction": { valid: { invitationId: ID } },
  "app/(console)/actions.ts#revokeSessionAction": { valid: { sessionId: ID } },
  "app/(console)/actions.ts#signOutOtherSessionsAction": { valid: {} },
  // Issue 11: remembered devices (Profile > Security) and the organization's device trust (Organization security)
  "app/(console)/profile/security/device-actions.ts#forgetDeviceAction": { valid: { deviceId: ID } },
  "app/(console)/profile/security/device-actions.ts#forgetAllDevicesAction": { valid: {} },
  "app/(console)/profile/security/two-factor/actions.ts#startEnrollmentAction": { valid: {} },
  "app/(console)/profile/security/two-factor/actions.ts#cancelEnrollmentAction": { valid: {} },
  "app/(console)/profile/security/two-factor/actions.ts#confirmEnrollmentAction": {
    valid: { password: PASSWORD, code: "123456", emailCode: "123456" },
    optional: ["emailCode"],
  },
  "app/(console)/profile/security/two-factor/actions.ts#sendEmailCodeAction": { valid: {} },
  "app/(console)/profile/security/two-factor/actions.ts#regenerateCodesAction": {
    valid: { method: "totp", password: PASSWORD, code: "123456" },
  },
  "app/(console)/profile/security/two-factor/actions.ts#disableTwoFactorAction": {
    valid: { method: "totp", code: "123456", password: PASSWORD },
  },
  "app/(console)/profile/security/two-factor/actions.ts#dismissSuggestionAction": { valid: {} },
  "app/(console)/step-up-action.ts#stepUpAction": { valid: { method: "totp", code: "123456" } },
  // Issue 12: "Text me a code" for a step-up (and the password, recovery-code and transfer forms)
  "app/(console)/step-up-action.ts#sendStepUpCodeAction": { valid: {} },
  "app/(console)/settings/users/teammate-actions.ts#resetTwoFactorAction": { valid: { membershipId: ID } },
  "app/(console)/settings/users/teammate-actions.ts#issueRecoveryCodesAction": { valid: { membershipId: ID } },
  "app/(console)/settings/users/teammate-actions.ts#signOutEverywhereAction": { valid: { membershipId: ID } },
  "app/(console)/settings/users/teammate-actions.ts#grantExemptionAction": {
    valid: { membershipId: ID, days: 7, reason: "Phone in repair" },
  },
  "app/(console)/settings/users/teammate-actions.ts#revokeExemptionAction": { valid: { membershipId: ID } },
  "app/(console)/settings/users/teammate-actions.ts#sendReminderAction": { valid: { membershipId: ID } },
  "app/(console)/settings/users/teammate-actions.ts#unlockTeammateAction": { valid: { membershipId: ID } },
  "app/(console)/settings/users/table-actions.ts#saveUsersTableColumnsAction": { valid: { columns: ["twoFactor"] } },
  "app/(console)/dashboard/actions.ts#requestUpgradeAction": {
    valid: { plan: "ENTERPRISE", seats: 40, message: "Rolling out 2FA to everyone." },
  },
  "app/(console)/settings/owner/actions.ts#transferOwnershipAction": {
    valid: { membershipId: ID, password: PASSWORD, method: "sms", code: "123456" },
    optional: ["method"], // without it, an app code (the form before issue 12 sent none)
  },
  "app/(console)/settings/security/actions.ts#savePolicyAction": {
    valid: {
      requireTwoFactor: true,
      mode: "GRACE",
      graceDays: 14,
      exemptSso: true,
      allowedMethods: ["TOTP"],
      expectedVersion: 999_999,
    },
    optional: ["graceDays"],
  },
  "app/(console)/settings/security/actions.ts#setRecoveryCodeAlertAction": { valid: { enabled: true } },
  "app/(console)/settings/security/actions.ts#setSmsCountriesAction": { valid: { countries: ["DE", "FR"] } },
  "app/(auth)/actions.ts#sendSignInSmsAction": { valid: {} },
  "app/(console)/settings/security/actions.ts#setDeviceTrustAction": {
    valid: { rememberDeviceDays: 7, riskBasedPrompt: false },
  },
  "app/(console)/settings/security/trusted-network-actions.ts#addTrustedNetworkAction": {
    valid: { cidr: "203.0.113.0/24", label: "Fuzz office" },
  },
  "app/(console)/settings/security/trusted-network-actions.ts#removeTrustedNetworkAction": { valid: { id: ID } },
  "app/(console)/settings/security/trusted-network-actions.ts#setTrustedNetworkScopeAction": {
    valid: { scope: "MEMBERS_ONLY" },
  },
  // A phone for SMS codes (issue 12)
  "app/(console)/profile/security/phone/actions.ts#sendEnrolCodeAction": {
    valid: { number: "020 7946 0018", country: "GB" },
  },
  "app/(console)/profile/security/phone/actions.ts#confirmEnrolAction": {
    valid: { code: "123456", password: PASSWORD, emailCode: "123456" },
    optional: ["password", "emailCode"],
  },
  "app/(console)/profile/security/phone/actions.ts#sendChangeOldCodeAction": { valid: {} },
  "app/(console)/profile/security/phone/actions.ts#confirmOldNumberAction": {
    valid: { code: "123456", number: "07400 123456", country: "GB" },
  },
  "app/(console)/profile/security/phone/actions.ts#resendNewNumberCodeAction": { valid: {} },
  "app/(console)/profile/security/phone/actions.ts#confirmNewNumberAction": {
    valid: { code: "123456", password: PASSWORD },
    optional: ["password"],
  },
  "app/(console)/profile/security/phone/actions.ts#sendDisableCodeAction": { valid: {} },
  "app/(console)/profile/security/phone/actions.ts#removePhoneAction": {
    valid: { method: "sms", code: "123456", password: PASSWORD },
    optional: ["password"],
  },
};

const NUL = "\u0000";
const HUGE = "a".repeat(100_000);
const hostile: Record<FieldKind, (valid: unknown) => Array<[string, unknown]>> = {
  string: (v) => {
    const s = String(v);
    return [
      ["NUL byte", `${s.slice(0, 1)}${NUL}${s.slice(1)}`],
      ["other control character", `${s}\u001b[2J`],
      ["100 KB", `${s}${HUGE}`],
      ["lone high surrogate", `${s.slice(0, 1)}\ud800${s.slice(1)}`],
      ["lone low surrogate", `${s}\udc00`],
      ["number", 42],
      ["boolean", true],
      ["null", null],
      ["object", { toString: "x" }],
      ["array", [s]],
    ];
  },
  number: (v) => [
    ["NUL byte", `${NUL}7`],
    ["100 KB", `9${HUGE}`],
    ["boolean", true],
    ["null", null],
    ["object", {}],
    ["array", [v]],
    ["text", "seven"],
    ["fraction", 1.5],
    ["infinite", Number.POSITIVE_INFINITY],
  ],
  boolean: () => [
    ["text", "true"],
    ["NUL byte", NUL],
    ["number", 1],
    ["null", null],
    ["object", {}],
  ],
  array: (v) => [
    ["text", "TOTP"],
    ["null", null],
    ["object", {}],
    ["NUL byte element", [NUL]],
    ["100 KB element", [HUGE]],
    ["lone surrogate element", ["\ud800"]],
    ["null element", [null]],
    ["100,000 elements", Array.from({ length: 100_000 }, () => (Array.isArray(v) ? v[0] : "x"))],
  ],
};
const kindOf = (v: unknown): FieldKind =>
  Array.isArray(v) ? "array" : typeof v === "number" ? "number" : typeof v === "boolean" ? "boolean" : "string";

/** `export const x = defineAction(` in every app/**\/*.ts file: "file#x". */
function scanActions(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name)) {
        const src = fs.readFileSync(p, "utf8");
        const calls = src.match(/\bdefineAction\s*\(/g)?.length ?? 0;
        const named = [...src.matchAll(/export\s+const\s+(\w+)\s*=\s*defineAction\s*\(/g)].map((m) => m[1]);
        const rel = path.relative(ROOT, p).split(path.sep).join("/");
        // A defineAction call that is not a plain `export const x = defineAction(` cannot be matched to the table.
        if (calls !== named.length) found.push(`${rel}#<${calls - named.length} unnamed defineAction call(s)>`);
        for (const name of named) found.push(`${rel}#${name}`);
      }
    }
  };
  walk(path.join(ROOT, "app"));
  return found.sort();
}

type Action = (input: unknown) => Promise<ActionResult<unknown>>;
async function loadAction(key: string): Promise<Action> {
  const [file, name] = key.split("#") as [string, string];
  const mod = (await import(path.join(ROOT, file))) as Record<string, unknown>;
  const action = mod[name];
  if (typeof action !== "function") throw new Error(`${key} is not exported`);
  return action as Action;
}

let owner: Awaited<ReturnType<typeof withTwoFactor<Awaited<ReturnType<typeof createOrgWithOwner>>>>>;

beforeAll(async () => {
  owner = await withTwoFactor(await createOrgWithOwner({ plan: "PROFESSIONAL" }));
  const { SESSION_COOKIE: sessionCookieName } = await import("@/lib/auth/cookies");
  const origin = new URL(env.NEXTAUTH_URL);
  request.headers.set("origin", origin.origin);
  request.headers.set("host", origin.host);
  request.headers.set("sec-fetch-site", "same-origin");
  request.headers.set("user-agent", "fuzz");
  request.cookies.set(
    sessionCookieName,
    await encode({ token: { sub: owner.userId, sid: owner.sessionId }, secret: authSecret() }),
  );
});

const RAW = /^(Invalid|Too big|Too small|Unrecognized)|expected \w+, received|prisma|invalid byte|P\d{4}/i;

describe("S45: hostile input to every server action", () => {
  it("the table names every action of the app (a new action needs its fuzz entry)", () => {
    expect(scanActions()).toEqual(Object.keys(TABLE).sort());
  });

  it.each(Object.keys(TABLE))("%s", async (key) => {
    const action = await loadAction(key);
    const { valid, optional = [] } = TABLE[key] as Entry;
    const before = await footprint([owner.userId, owner.email, owner.organizationId]);
    const problems: string[] = [];
    const check = async (what: string, input: unknown, field: string) => {
      let r: ActionResult<unknown>;
      try {
        r = await action(input);
      } catch (e) {
        problems.push(`${what}: threw ${e instanceof Error ? e.message.slice(0, 80) : String(e)}`);
        return;
      }
      if (r.ok) return problems.push(`${what}: accepted`);
      if (r.code !== "VALIDATION") return problems.push(`${what}: ${r.code} (${r.error.slice(0, 80)})`);
      const message = r.fieldErrors?.[field];
      if (!message) return problems.push(`${what}: no message for "${field}" (${JSON.stringify(r.fieldErrors)})`);
      if (RAW.test(message) || RAW.test(r.error) || message.includes(NUL))
        problems.push(`${what}: raw text "${message.slice(0, 80)}"`);
    };

    for (const [what, body] of [
      ["no body", undefined],
      ["null body", null],
      ["text body", "x"],
      ["number body", 42],
      ["array body", [valid]],
    ] as Array<[string, unknown]>) {
      await check(what, body, "form");
    }
    for (const [field, value] of Object.entries(valid)) {
      const mutations = hostile[kindOf(value)](value);
      if (!optional.includes(field)) mutations.push(["missing", undefined]);
      for (const [what, bad] of mutations) {
        if (optional.includes(field) && bad === null) continue;
        const input: Record<string, unknown> = { ...valid, [field]: bad };
        if (bad === undefined) delete input[field];
        await check(`${field}: ${what}`, input, field);
      }
    }
    expect(problems).toEqual([]);
    // Nothing reached a service: no row of the signed-in owner's account or organization changed.
    expect(await footprint([owner.userId, owner.email, owner.organizationId])).toEqual(before);
  });
});
