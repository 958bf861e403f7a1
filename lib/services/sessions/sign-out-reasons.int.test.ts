// Why a session ended (issue 10 item 4) against a real PostgreSQL: every path that ends sessions writes its code from
// the one list (lib/auth/sign-out-reasons.ts), and endedSessionReason reads back only a known code of an ended session.

import { describe, expect, it } from "vitest";
import { addMember, createOrgWithOwner, ctx, PASSWORD, signIn, withTwoFactor } from "@/test/factories";
import { mailData } from "@/test/mail";
import type { SignOutReason } from "../../auth/sign-out-reasons";
import { totpAt } from "../../crypto/totp";
import { db } from "../../db";
import { env } from "../../env";
import { DAY_MS } from "../../time";
import { saveTwoFactorPolicy } from "../org-policy/change";
import { runPolicyClock } from "../org-policy/clock";
import { resetTeammateTwoFactor } from "../teammates/reset-teammate-two-factor";
import { signOutTeammateEverywhere } from "../teammates/sign-out-teammate";
import { disableTwoFactor } from "../two-factor/disable";
import { loadActiveSession } from "./active-session";
import { createSession } from "./create-session";
import { endedSessionReason } from "./ended-session";
import { revokeOwnSession } from "./revoke-own-session";
import { signOutOtherSessions } from "./sign-out-other-sessions";
import { signOutSession } from "./sign-out-session";

const later = (base: Date, ms: number) => new Date(base.getTime() + ms);
const reasonOf = async (sessionId: string) =>
  (await db.session.findUniqueOrThrow({ where: { id: sessionId } })).revokedReason;
const read = (sessionId: string) => endedSessionReason({ input: { sessionId } });

/** An owner with 2FA (stepped up), an admin with 2FA, a member without 2FA; Professional plan. */
async function world(now = new Date()) {
  const owner = await withTwoFactor(await createOrgWithOwner({ plan: "PROFESSIONAL", name: "Reasons Inc" }), now);
  const admin = await withTwoFactor(await addMember(owner.actor, { role: "ADMIN", name: "Ada Admin" }), now);
  const member = await addMember(owner.actor, { name: "Tom Li" });
  const ownerActor = { ...owner.actor, sessionId: owner.sessionId };
  const adminActor = { ...admin.actor, sessionId: admin.sessionId };
  return { now, owner, admin, member, ownerActor, adminActor };
}

async function requireTwoFactor(w: Awaited<ReturnType<typeof world>>, input: object, now: Date) {
  const { policyVersion } = await db.organization.findUniqueOrThrow({ where: { id: w.owner.organizationId } });
  return saveTwoFactorPolicy(
    {
      actor: w.ownerActor,
      input: {
        requireTwoFactor: true,
        mode: "NOW",
        confirmSoleAdmin: true,
        exemptSso: true,
        allowedMethods: ["TOTP"],
        expectedVersion: policyVersion,
        ...input,
      },
      context: ctx,
    },
    { now },
  );
}

describe("every path that ends a session writes its reason code", () => {
  it("the person's own sign-outs: this browser, one of their other sessions, all other sessions", async () => {
    const owner = await createOrgWithOwner();
    const [here, other1, other2, other3] = [
      await signIn(owner),
      await signIn(owner),
      await signIn(owner),
      await signIn(owner),
    ];
    const actor = { ...owner.actor, sessionId: here };
    await revokeOwnSession({ actor, input: { sessionId: other1 }, context: ctx });
    expect(await reasonOf(other1)).toBe("signed_out_elsewhere");
    await signOutOtherSessions({ actor, context: ctx });
    expect([await reasonOf(other2), await reasonOf(other3)]).toEqual(["signed_out_elsewhere", "signed_out_elsewhere"]);
    expect(await reasonOf(here)).toBeNull();
    await signOutSession({ input: { sessionId: here }, context: ctx });
    expect(await reasonOf(here)).toBe("signed_out");
    // Revoking the very session one acts through, from the sessions list, is signing out here.
    const fourth = await signIn(owner);
    await revokeOwnSession({
      actor: { ...owner.actor, sessionId: fourth },
      input: { sessionId: fourth },
      context: ctx,
    });
    expect(await reasonOf(fourth)).toBe("signed_out");
  });

  it("expiry: the absolute lifetime and the idle limit", async () => {
    const owner = await createOrgWithOwner();
    const start = new Date();
    const [absolute, idle] = [await signIn(owner, start), await signIn(owner, start)];
    await db.session.update({
      where: { id: absolute },
      data: { lastSeenAt: later(start, env.SESSION_MAX_AGE_HOURS * 3_600_000) },
    });
    expect(
      await loadActiveSession(absolute, { now: later(start, env.SESSION_MAX_AGE_HOURS * 3_600_000 + 60_000) }),
    ).toBeNull();
    expect(await loadActiveSession(idle, { now: later(start, (env.SESSION_IDLE_MINUTES + 1) * 60_000) })).toBeNull();
    expect([await read(absolute), await read(idle)]).toEqual(["expired", "idle_timeout"]);
  });

  it("an administrator: signing out everywhere, and resetting 2FA", async () => {
    const w = await world();
    const t = later(w.now, 1000);
    const tom = await signIn(w.member, t);
    await signOutTeammateEverywhere(
      { actor: w.ownerActor, input: { membershipId: w.member.membershipId }, context: ctx },
      { now: t },
    );
    expect(await read(tom)).toBe("signed_out_by_admin");
    const adminMembership = await db.membership.findFirstOrThrow({ where: { userId: w.admin.userId } });
    const spare = (await createSession(db, { userId: w.admin.userId, authMethod: "password+totp", context: ctx }, t))
      .id;
    await resetTeammateTwoFactor(
      { actor: w.ownerActor, input: { membershipId: adminMembership.id }, context: ctx },
      { now: t },
    );
    expect([await read(w.admin.sessionId), await read(spare)]).toEqual([
      "two_factor_reset_by_admin",
      "two_factor_reset_by_admin",
    ]);
  });

  it("the person's own 2FA changes in another session: turning it on, turning it off", async () => {
    const owner = await createOrgWithOwner();
    const t0 = new Date();
    const before = await signIn(owner, t0);
    const withFactor = await withTwoFactor(owner, t0); // enrols in a new session
    expect(await read(before)).toBe("two_factor_changed");
    const bystander = (await createSession(db, { userId: owner.userId, authMethod: "password+totp", context: ctx }, t0))
      .id;
    const t1 = later(t0, 60_000);
    await disableTwoFactor(
      {
        actor: { ...owner.actor, sessionId: withFactor.sessionId },
        input: { method: "totp", code: totpAt(withFactor.secret, { time: t1.getTime() }), password: PASSWORD },
        context: ctx,
      },
      { now: t1 },
    );
    expect(await read(bystander)).toBe("two_factor_changed");
    expect(await read(withFactor.sessionId)).toBeNull();
  });

  it("the organization requires 2FA now: members without it are signed out with that reason", async () => {
    const w = await world();
    const tom = await signIn(w.member, w.now);
    const t = later(w.now, 1000);
    const r = await requireTwoFactor(w, { mode: "NOW" }, t);
    expect(r.sessionsRevoked).toBe(1);
    expect(await read(tom)).toBe("organization_requires_2fa");
    expect(await read(w.admin.sessionId)).toBeNull();
  });

  it("a grace deadline passes: members without 2FA are signed out with that reason and emailed, once", async () => {
    const w = await world();
    const tom = await signIn(w.member, w.now);
    const otherTom = await signIn(w.member, w.now);
    await requireTwoFactor(w, { mode: "GRACE", graceDays: 7 }, w.now);
    expect(await read(tom)).toBeNull();
    const scope = { organizationId: w.owner.organizationId };
    const first = await runPolicyClock({ now: later(w.now, 7 * DAY_MS + 60_000), ...scope });
    await runPolicyClock({ now: later(w.now, 7 * DAY_MS + 120_000), ...scope });
    expect(first.sessionsRevoked).toBe(2);
    expect([await read(tom), await read(otherTom)]).toEqual([
      "two_factor_deadline_passed",
      "two_factor_deadline_passed",
    ]);
    const mails = await db.outboxMessage.findMany({
      where: { template: "org-two-factor", to: { in: [w.member.email, w.owner.email, w.admin.email] } },
    });
    const passed = mails.filter((m) => mailData<{ kind: string }>(m).kind === "deadline-passed");
    expect(passed.map((m) => m.to)).toEqual([w.member.email]);
    expect(mailData(passed[0])).toMatchObject({ name: "Tom Li", organizationName: "Reasons Inc", mode: "GRACE" });
  });

  it("a grace period shortened past its deadline signs members out with the deadline reason", async () => {
    const w = await world();
    const tom = await signIn(w.member, w.now);
    await requireTwoFactor(w, { mode: "GRACE", graceDays: 30 }, w.now);
    await requireTwoFactor(w, { mode: "GRACE", graceDays: 3 }, later(w.now, 5 * DAY_MS));
    expect(await read(tom)).toBe("two_factor_deadline_passed");
  });
});

describe("endedSessionReason reads only an ended session's known code", () => {
  it("null for a live session, an unknown id, or a code outside the list", async () => {
    const owner = await createOrgWithOwner();
    const live = await signIn(owner);
    expect(await read(live)).toBeNull();
    expect(await read("no-such-session")).toBeNull();
    const odd = await signIn(owner);
    await db.session.update({
      where: { id: odd },
      data: { revokedAt: new Date(), revokedReason: "<script>alert(1)</script>" },
    });
    expect(await read(odd)).toBeNull();
    await db.session.update({ where: { id: odd }, data: { revokedReason: "__proto__" } });
    expect(await read(odd)).toBeNull();
    // A code without an end is not an ended session.
    await db.session.update({
      where: { id: live },
      data: { revokedReason: "signed_out_by_admin" satisfies SignOutReason },
    });
    expect(await read(live)).toBeNull();
  });
});
