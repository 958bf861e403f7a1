// Issue 12 items 1 and 7 against a real PostgreSQL: a phone counts as 2FA wherever the organization allows SMS; when
// it forbids SMS, a member whose ONLY factor is a phone is gated like a member without 2FA (with the grace period if
// one runs), the impact preview counts them, an admin reset removes the phone, and the Users table shows and filters
// the methods.
import { describe, expect, it } from "vitest";
import { addMember, createOrgWithOwner, ctx, withTwoFactor } from "@/test/factories";
import { allowUkSms, withPhone } from "@/test/phone";
import { db } from "../../db";
import { DomainError } from "../../errors";
import { DAY_MS } from "../../time";
import { parseTeammatesQuery } from "../../validation/teammates";
import { resetTeammateTwoFactor } from "../teammates/reset-teammate-two-factor";
import { listTeammatesTable } from "../teammates/table";
import { saveTwoFactorPolicy } from "./change";
import { twoFactorGate } from "./gate";
import type { PolicyInput } from "./plan-input";
import { policyOverview } from "./view";

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof DomainError ? e.code : `unexpected: ${String(e)}`),
  );
const later = (base: Date, ms: number) => new Date(base.getTime() + ms);

/** Owner and admin with the app; Sia with only a phone; Bo with both; Nell with nothing. SMS allowed to start with. */
async function world(t0 = new Date()) {
  const base = await createOrgWithOwner({ plan: "PROFESSIONAL", name: "Acme SMS" });
  await allowUkSms(base.organizationId);
  const owner = await withTwoFactor(base, t0);
  const admin = await withTwoFactor(await addMember(base.actor, { role: "ADMIN", name: "Ada Admin" }), t0);
  const sia = await withPhone(await addMember(base.actor, { name: "Sia Sms" }), t0);
  const bo = await withPhone(await withTwoFactor(await addMember(base.actor, { name: "Bo Both" }), t0), t0);
  const nell = await addMember(base.actor, { name: "Nell None" });
  const orgId = base.organizationId;
  const session = (p: { userId: string; sessionId: string }) => ({
    userId: p.userId,
    organizationId: orgId,
    sessionId: p.sessionId,
  });
  return { t0, orgId, owner, admin, sia, bo, nell, session };
}
type World = Awaited<ReturnType<typeof world>>;

const policy = (w: World, input: Partial<PolicyInput>, now: Date) =>
  db.organization.findUniqueOrThrow({ where: { id: w.orgId } }).then((o) =>
    saveTwoFactorPolicy(
      {
        actor: w.session(w.owner),
        input: {
          requireTwoFactor: true,
          mode: "NEXT_SIGN_IN",
          exemptSso: true,
          allowedMethods: ["TOTP", "SMS"],
          expectedVersion: o.policyVersion,
          ...input,
        },
        context: ctx,
      },
      { now },
    ),
  );
const gate = (userId: string, now: Date) =>
  twoFactorGate({ actor: { userId }, input: { session: { createdAt: new Date(0) } } }, { now }).then((g) => g.kind);

describe("forbidding SMS", () => {
  it("gates members whose only factor is a phone, like members without 2FA, with the grace period", async () => {
    const w = await world();
    const t1 = later(w.t0, 60_000);
    expect(await policy(w, { mode: "NOW" }, t1).then(() => "ok")).toBe("ok");
    // SMS allowed: the phone complies; only Nell is gated.
    expect(await gate(w.sia.userId, t1)).toBe("clear");
    expect(await gate(w.bo.userId, t1)).toBe("clear");
    expect(await gate(w.nell.userId, t1)).toBe("setup-required");
    const before = await policyOverview({ actor: w.session(w.owner) }, { now: t1 });
    expect(before.membersWithout2fa).toBe(1);
    // The impact preview of the allowed methods: who uses ONLY each method.
    expect(before.onlyFactor).toEqual({ SMS: 1, TOTP: 2 });

    // Forbidding SMS with a grace period of 7 days (stricter: no step-up needed).
    const t2 = later(t1, 60_000);
    expect(await codeOf(policy(w, { mode: "GRACE", graceDays: 7, allowedMethods: ["TOTP"] }, t2))).toBe("ok");
    expect(await gate(w.sia.userId, t2)).toBe("notice");
    expect(await gate(w.bo.userId, t2)).toBe("clear");
    const after = await policyOverview({ actor: w.session(w.owner) }, { now: t2 });
    expect(after.membersWithout2fa).toBe(2);
    expect(after.withoutList.map((m) => m.name).sort()).toEqual(["Nell None", "Sia Sms"]);
    // Past the deadline: Sia reaches only the setup flow, as Nell does.
    const t3 = later(t2, 8 * DAY_MS);
    expect(await gate(w.sia.userId, t3)).toBe("setup-required");
    expect(await gate(w.bo.userId, t3)).toBe("clear");

    // "Now": Sia's sessions end at once; Bo (app + SMS) keeps his.
    const t4 = later(t3, 60_000);
    await db.session.updateMany({ where: { userId: w.owner.userId }, data: { stepUpAt: t4 } });
    expect(await codeOf(policy(w, { mode: "NOW", allowedMethods: ["TOTP"] }, t4))).toBe("ok");
    expect(await db.session.count({ where: { userId: w.sia.userId, revokedAt: null } })).toBe(0);
    expect(await db.session.count({ where: { userId: w.bo.userId, revokedAt: null } })).toBeGreaterThan(0);
  });

  it("allowing SMS again is a weakening: it needs the step-up (S42)", async () => {
    const w = await world();
    const t1 = later(w.t0, 60_000);
    await policy(w, { allowedMethods: ["TOTP"] }, t1);
    const stale = later(t1, 20 * 60_000);
    expect(await codeOf(policy(w, { allowedMethods: ["TOTP", "SMS"] }, stale))).toBe("STEP_UP_REQUIRED");
  });
});

describe("administrators and phones", () => {
  it("the Users table shows App, SMS and App + SMS and filters by them", async () => {
    const w = await world();
    const list = async (method: string) =>
      (await listTeammatesTable({ actor: w.session(w.owner), input: { query: parseTeammatesQuery({ method }) } })).rows
        .map((r) => `${r.name}: ${r.twoFactorMethod ?? r.twoFactor}`)
        .sort();
    expect(await list("any")).toEqual([
      "Ada Admin: App",
      "Bo Both: App + SMS",
      "Nell None: not-set-up",
      "Owner Person: App",
      "Sia Sms: SMS",
    ]);
    expect(await list("sms")).toEqual(["Sia Sms: SMS"]);
    expect(await list("both")).toEqual(["Bo Both: App + SMS"]);
    expect(await list("app")).toEqual(["Ada Admin: App", "Owner Person: App"]);
    const enabled = await listTeammatesTable({
      actor: w.session(w.owner),
      input: { query: parseTeammatesQuery({ status: "enabled" }) },
    });
    expect(enabled.total).toBe(4);
  });

  it("an admin reset removes the phone too (and the app), and is refused for nobody with only a phone", async () => {
    const w = await world();
    const admin = w.session(w.admin);
    const t1 = later(w.t0, 60_000);
    const membershipOf = async (userId: string) =>
      (await db.membership.findFirstOrThrow({ where: { userId, organizationId: w.orgId } })).id;
    expect(
      await codeOf(
        resetTeammateTwoFactor(
          { actor: admin, input: { membershipId: await membershipOf(w.sia.userId) }, context: ctx },
          { now: t1 },
        ),
      ),
    ).toBe("ok");
    expect(await db.phoneFactor.count({ where: { userId: w.sia.userId } })).toBe(0);
    expect(await db.recoveryCode.count({ where: { userId: w.sia.userId } })).toBe(0);
    expect(await db.session.count({ where: { userId: w.sia.userId, revokedAt: null } })).toBe(0);
    expect(
      await codeOf(
        resetTeammateTwoFactor(
          { actor: admin, input: { membershipId: await membershipOf(w.bo.userId) }, context: ctx },
          { now: t1 },
        ),
      ),
    ).toBe("ok");
    expect(await db.phoneFactor.count({ where: { userId: w.bo.userId } })).toBe(0);
    expect(await db.totpFactor.count({ where: { userId: w.bo.userId } })).toBe(0);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { targetId: w.bo.userId, type: "2fa.admin_reset" } });
    expect(audit.metadata).toMatchObject({ removed: ["app", "sms"] });
    // Nothing left to reset: refused, as for a member who never had 2FA.
    expect(
      await codeOf(
        resetTeammateTwoFactor(
          { actor: admin, input: { membershipId: await membershipOf(w.sia.userId) }, context: ctx },
          { now: t1 },
        ),
      ),
    ).toBe("TEAMMATE_NO_TWO_FACTOR");
  });
});
