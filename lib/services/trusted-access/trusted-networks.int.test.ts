// Trusted networks against a real PostgreSQL (issue 11 items 1, 4, 5; S31, S42): the admin services (step-up, plan,
// validation, duplicates and overlaps, audit in the same transaction, another organization's rows), the preview, and
// the skip rules — a skip spares the prompt of an existing factor, never an enrolment or a pending setup; the scope
// "members only" keeps owners and administrators on the code; an account in several organizations is skipped only when
// every one of them trusts the address.
import { describe, expect, it } from "vitest";
import { addMember, createOrgWithOwner, ctx, PASSWORD, withTwoFactor } from "@/test/factories";
import { allowUkSms, withPhone } from "@/test/phone";
import type { Actor } from "../../auth/actor";
import { totpAt } from "../../crypto/totp";
import { db } from "../../db";
import { DomainError } from "../../errors";
import { searchAuditEvents } from "../audit/audit-search";
import { describeAuditEvent } from "../audit/audit-text";
import { saveTwoFactorPolicy } from "../org-policy/change";
import { completeSignIn } from "../sign-in/complete-sign-in";
import { passwordStep } from "../sign-in/password-step";
import { stepUp } from "../two-factor/step-up";
import { trustedNetworksOverview } from "./networks-overview";
import { decideSecondStepSkip } from "./skip";
import { addTrustedNetwork, removeTrustedNetwork, setTrustedNetworkScope } from "./trusted-networks";

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof DomainError ? e.code : `unexpected: ${String(e)}`),
  );
const fieldsOf = (p: Promise<unknown>): Promise<Record<string, string | undefined>> =>
  p.then(
    () => ({}),
    (e) => (e instanceof DomainError ? (e.fields ?? {}) : { unexpected: String(e) }),
  );
const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);
const OFFICE = { ip: "203.0.113.40", userAgent: "vitest" };
const HOME = { ip: "198.51.100.7", userAgent: "vitest" };

/** A Professional organization: the owner with 2FA and a FRESH step-up (a sign-in with a code), a member with 2FA, an
 *  admin with 2FA, and a member without. */
async function world(plan: "PROFESSIONAL" | "FREE" | "ENTERPRISE" = "PROFESSIONAL") {
  const t0 = new Date(Date.now() - 5 * 60_000);
  const base = await createOrgWithOwner({ plan });
  const owner = await withTwoFactor(base, t0);
  const admin = await withTwoFactor(await addMember(base.actor, { role: "ADMIN", name: "Ada Admin" }), t0);
  const member = await withTwoFactor(await addMember(base.actor, { name: "Max Member" }), t0);
  const bare = await addMember(base.actor, { name: "Bea Bare" });
  const actor: Actor = { ...base.actor, sessionId: owner.sessionId };
  return { t0, org: base.organizationId, owner, admin, member, bare, actor };
}

async function trust(actor: Actor, cidr: string, label: string) {
  return addTrustedNetwork({ actor, input: { cidr, label }, context: ctx });
}

/** The password step from `context`: was the second step skipped, and why? */
async function firstStep(p: { email: string }, context = OFFICE, now = new Date()) {
  const { challengeToken, requirement } = await passwordStep(
    { input: { email: p.email, password: PASSWORD }, context },
    { now },
  );
  const challenge = await db.signInChallenge.findFirstOrThrow({
    where: { user: { email: p.email } },
    orderBy: { createdAt: "desc" },
  });
  return { challengeToken, requirement, skipReason: challenge.skipReason, skipDetail: challenge.skipDetail };
}

describe("adding, removing and scoping trusted networks", () => {
  it("adds a normalised entry with its audit row in the same transaction; the preview and current address follow", async () => {
    const w = await world();
    const r = await trust(w.actor, " ::ffff:203.0.113.77/120 ", "Berlin office");
    expect(r.cidr).toBe("203.0.113.0/24");
    expect(r.notes.join(" ")).toMatch(/IPv4-mapped/);
    const row = await db.trustedNetwork.findFirstOrThrow({ where: { organizationId: w.org } });
    expect(row).toMatchObject({ cidr: "203.0.113.0/24", label: "Berlin office", createdById: w.owner.userId });
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { organizationId: w.org, type: "trusted_network.added" },
    });
    expect(audit.actorId).toBe(w.owner.userId);
    expect(describeAuditEvent(audit, "Olga Owner", null)).toBe(
      "Olga Owner added the trusted network Berlin office (203.0.113.0/24): sign-ins from it skip the second step",
    );

    await completeSignIn({
      input: { challengeToken: (await firstStep(w.bare, OFFICE)).challengeToken },
      context: OFFICE,
    });
    const overview = await trustedNetworksOverview({ actor: w.actor, context: OFFICE });
    expect(overview).toMatchObject({
      available: true,
      scope: "EVERYONE",
      currentIp: "203.0.113.40",
      currentIpTrustedBy: "Berlin office",
      recentFromTrusted: 1,
    });
    // Owner, admin and member signed in from 127.0.0.1 (their 2FA setup); the member without 2FA from the office.
    expect(overview.recentSignInIps).toEqual(["203.0.113.40", "127.0.0.1", "127.0.0.1", "127.0.0.1"]);
    expect(overview.networks).toEqual([
      expect.objectContaining({ label: "Berlin office", cidr: "203.0.113.0/24", createdBy: "Owner Person" }),
    ]);
    expect((await trustedNetworksOverview({ actor: w.actor, context: HOME })).currentIpTrustedBy).toBeNull();
  });

  it("refuses invalid, too broad, duplicate and overlapping entries with a message on the field, and writes nothing", async () => {
    const w = await world();
    await trust(w.actor, "10.20.0.0/16", "HQ");
    const before = await db.auditEvent.count({ where: { organizationId: w.org } });
    expect((await fieldsOf(trust(w.actor, "10.0.0.0/7", "Too wide"))).cidr).toMatch(/too broad/);
    expect((await fieldsOf(trust(w.actor, "fe80::1%eth0", "Zone"))).cidr).toMatch(/Zone ids/);
    expect((await fieldsOf(trust(w.actor, "10.20.9.9/16", "Again"))).cidr).toMatch(/already trusted as “HQ”/);
    expect((await fieldsOf(trust(w.actor, "10.20.30.0/24", "Inside"))).cidr).toMatch(
      /overlaps HQ \(10\.20\.0\.0\/16\)/,
    );
    expect((await fieldsOf(trust(w.actor, "10.0.0.0/8", "Around"))).cidr).toMatch(/overlaps HQ/);
    expect((await fieldsOf(trust(w.actor, "10.30.0.0/16", "   "))).label).toMatch(/Give the network a name/);
    expect(await db.trustedNetwork.count({ where: { organizationId: w.org } })).toBe(1);
    expect(await db.auditEvent.count({ where: { organizationId: w.org } })).toBe(before);
  });

  it("ten parallel additions of one range: exactly one is stored, the others read as duplicates", async () => {
    const w = await world();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => codeOf(trust(w.actor, "192.0.2.0/24", `Office ${i}`))),
    );
    expect(results.filter((r) => r === "ok")).toHaveLength(1);
    expect(results.filter((r) => r === "VALIDATION")).toHaveLength(9);
    expect(await db.trustedNetwork.count({ where: { organizationId: w.org } })).toBe(1);
    expect(await db.auditEvent.count({ where: { organizationId: w.org, type: "trusted_network.added" } })).toBe(1);
  });

  it("S42: adding, removing and widening the scope need a step-up; narrowing does not; all are audited", async () => {
    const w = await world();
    const { id } = await trust(w.actor, "192.0.2.0/24", "Office");
    // The admin signed in with a code long ago (t0 - 5 min … the step-up is older than 10 minutes at `later`).
    const later = at(w.t0, 16 * 60);
    const adminActor: Actor = { ...w.admin.actor, sessionId: w.admin.sessionId };
    const add = () =>
      addTrustedNetwork(
        { actor: adminActor, input: { cidr: "198.51.100.0/24", label: "Lab" }, context: ctx },
        { now: later },
      );
    const remove = () => removeTrustedNetwork({ actor: adminActor, input: { id }, context: ctx }, { now: later });
    const scope = (s: "EVERYONE" | "MEMBERS_ONLY") =>
      setTrustedNetworkScope({ actor: adminActor, input: { scope: s }, context: ctx }, { now: later });
    expect(await codeOf(add())).toBe("STEP_UP_REQUIRED");
    expect(await codeOf(remove())).toBe("STEP_UP_REQUIRED");
    expect(await codeOf(scope("MEMBERS_ONLY"))).toBe("ok"); // narrowing: no step-up
    expect(await codeOf(scope("EVERYONE"))).toBe("STEP_UP_REQUIRED");
    expect(await db.trustedNetwork.count({ where: { organizationId: w.org } })).toBe(1);

    await stepUp(
      {
        actor: adminActor,
        input: { method: "totp", code: totpAt(w.admin.secret, { time: later.getTime() }) },
        context: ctx,
      },
      { now: later },
    );
    expect(await codeOf(add())).toBe("ok");
    expect(await codeOf(remove())).toBe("ok");
    expect(await codeOf(scope("EVERYONE"))).toBe("ok");
    const types = (await db.auditEvent.findMany({ where: { organizationId: w.org, actorId: w.admin.userId } })).map(
      (e) =>
        `${e.type}${e.type === "trusted_network.scope_changed" ? `:${(e.metadata as { scope: string }).scope}` : ""}`,
    );
    expect(types.filter((t) => t.startsWith("trusted_network")).sort()).toEqual([
      "trusted_network.added",
      "trusted_network.removed",
      "trusted_network.scope_changed:EVERYONE",
      "trusted_network.scope_changed:MEMBERS_ONLY",
    ]);
  });

  it("members cannot touch them; an admin of another organization cannot remove this one's; Free cannot add", async () => {
    const w = await world();
    const { id } = await trust(w.actor, "192.0.2.0/24", "Office");
    const memberActor: Actor = { ...w.member.actor, sessionId: w.member.sessionId };
    expect(await codeOf(trust(memberActor, "198.51.100.0/24", "Mine"))).toBe("FORBIDDEN");
    expect(await codeOf(removeTrustedNetwork({ actor: memberActor, input: { id }, context: ctx }))).toBe("FORBIDDEN");
    expect(await codeOf(trustedNetworksOverview({ actor: memberActor, context: ctx }))).toBe("FORBIDDEN");
    const other = await world();
    expect(await codeOf(removeTrustedNetwork({ actor: other.actor, input: { id }, context: ctx }))).toBe("NOT_FOUND");
    expect(await db.trustedNetwork.count({ where: { id } })).toBe(1);

    const free = await world("FREE");
    expect(await codeOf(trust(free.actor, "192.0.2.0/24", "Office"))).toBe("TRUSTED_NETWORKS_PLAN_REQUIRED");
    expect((await trustedNetworksOverview({ actor: free.actor, context: ctx })).available).toBe(false);
  });
});

describe("the skip: a prompt spared, never an enrolment (item 4)", () => {
  it("a member with 2FA from the office signs in without a code: lower assurance, its method, one audit row with the label", async () => {
    const w = await world();
    await trust(w.actor, "203.0.113.0/24", "Berlin office");
    const first = await firstStep(w.member, OFFICE);
    expect(first).toMatchObject({ requirement: "none", skipReason: "trusted-network", skipDetail: "Berlin office" });
    const done = await completeSignIn({ input: { challengeToken: first.challengeToken }, context: OFFICE });
    expect(done.authMethod).toBe("password+trusted-network");
    const session = await db.session.findUniqueOrThrow({ where: { id: done.sessionId } });
    expect(session).toMatchObject({ lowerAssurance: true, secondFactorAt: null, stepUpAt: null });
    const skipped = await db.auditEvent.findMany({
      where: { type: "signin.second_step_skipped", actorId: w.member.userId },
    });
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatchObject({ organizationId: w.org, ip: "203.0.113.40" });
    expect(skipped[0]?.metadata).toMatchObject({ reason: "trusted-network", label: "Berlin office" });
    expect(describeAuditEvent(skipped[0] as { type: string; metadata: unknown }, "Max Member", null)).toMatch(
      /^Max Member signed in without a code: from the trusted network Berlin office/,
    );

    // The audit log (and its CSV export, which writes the same text) tells it in words, filterable by type.
    const { events } = await searchAuditEvents({ actor: w.actor, input: { type: "signin.second_step_skipped" } });
    expect(events.map((e) => [e.label, e.text])).toEqual([
      [
        "Signed in without a code (second step skipped)",
        "Max Member signed in without a code: from the trusted network Berlin office (a code is asked before security or admin changes)",
      ],
    ]);

    // From home: the code is asked as usual.
    expect(await firstStep(w.member, HOME)).toMatchObject({ requirement: "second-factor", skipReason: null });
  });

  it("a member without 2FA is never skipped: where the organization requires 2FA, the session starts in the setup gate", async () => {
    const w = await world();
    await trust(w.actor, "203.0.113.0/24", "Office");
    await saveTwoFactorPolicy({
      actor: w.actor,
      input: {
        requireTwoFactor: true,
        mode: "NEXT_SIGN_IN",
        exemptSso: false,
        allowedMethods: ["TOTP"],
        expectedVersion: 0,
      },
      context: ctx,
    });
    const first = await firstStep(w.bare, OFFICE);
    expect(first).toMatchObject({ requirement: "none", skipReason: null });
    const done = await completeSignIn({ input: { challengeToken: first.challengeToken }, context: OFFICE });
    const session = await db.session.findUniqueOrThrow({ where: { id: done.sessionId } });
    expect(session).toMatchObject({ lowerAssurance: false, setupRequiredAtStart: true });
    expect(await db.auditEvent.count({ where: { type: "signin.second_step_skipped", actorId: w.bare.userId } })).toBe(
      0,
    );
  });

  it("scope 'members only': owners and administrators still enter their code from the office", async () => {
    const w = await world();
    await trust(w.actor, "203.0.113.0/24", "Office");
    expect((await firstStep(w.admin, OFFICE)).skipReason).toBe("trusted-network");
    await setTrustedNetworkScope({ actor: w.actor, input: { scope: "MEMBERS_ONLY" }, context: ctx });
    expect(await firstStep(w.admin, OFFICE)).toMatchObject({ requirement: "second-factor", skipReason: null });
    expect(await firstStep(w.owner, OFFICE)).toMatchObject({ requirement: "second-factor", skipReason: null });
    expect((await firstStep(w.member, OFFICE)).skipReason).toBe("trusted-network");
  });

  it("a member whose only factor is a phone is spared like anyone else (they step up later with a texted code)", async () => {
    const w = await world();
    await allowUkSms(w.org);
    await withPhone(w.bare, w.t0);
    expect(await firstStep(w.bare, OFFICE)).toMatchObject({ requirement: "second-factor", skipReason: null });
    await trust(w.actor, "203.0.113.0/24", "Office");
    expect((await firstStep(w.bare, OFFICE)).skipReason).toBe("trusted-network");
    expect((await firstStep(w.member, OFFICE)).skipReason).toBe("trusted-network");
  });

  it("an organization moved back to Free stops skipping (its entries stay, unused)", async () => {
    const w = await world();
    await trust(w.actor, "203.0.113.0/24", "Office");
    await db.organization.update({ where: { id: w.org }, data: { plan: "FREE" } });
    expect((await firstStep(w.member, OFFICE)).skipReason).toBeNull();
  });

  it("several organizations: skipped only when every one of them trusts the address for this person", async () => {
    const a = await world();
    const b = await world();
    await trust(a.actor, "203.0.113.0/24", "A office");
    // a's member joins b as well.
    await db.membership.create({ data: { organizationId: b.org, userId: a.member.userId, role: "MEMBER" } });
    expect((await firstStep(a.member, OFFICE)).skipReason).toBeNull(); // b does not trust it
    await trust(b.actor, "203.0.113.32/27", "B floor 3");
    expect(await firstStep(a.member, OFFICE)).toMatchObject({
      skipReason: "trusted-network",
      skipDetail: "A office, B floor 3",
    });
    await setTrustedNetworkScope({ actor: b.actor, input: { scope: "MEMBERS_ONLY" }, context: ctx });
    await db.membership.update({
      where: { organizationId_userId: { organizationId: b.org, userId: a.member.userId } },
      data: { role: "ADMIN" },
    });
    expect((await firstStep(a.member, OFFICE)).skipReason).toBeNull(); // an admin in b: b wants the code
  });

  it("a session that would start in the setup gate is never skipped (the organization allows only a method they lack)", async () => {
    const w = await world();
    await trust(w.actor, "203.0.113.0/24", "Office");
    await db.organization.update({
      where: { id: w.org },
      data: { requireTwoFactor: true, enforcementMode: "NOW", allowedMethods: ["SMS"], modeSince: new Date() },
    });
    expect(await decideSecondStepSkip(db, { userId: w.member.userId, context: OFFICE })).toBeNull();
  });

  it("a skip decided at the first step does not open a session once the policy demands setup: sign in again", async () => {
    const w = await world();
    await trust(w.actor, "203.0.113.0/24", "Office");
    const first = await firstStep(w.member, OFFICE);
    expect(first.skipReason).toBe("trusted-network");
    await db.organization.update({
      where: { id: w.org },
      data: { requireTwoFactor: true, enforcementMode: "NOW", allowedMethods: ["SMS"], modeSince: new Date() },
    });
    expect(await codeOf(completeSignIn({ input: { challengeToken: first.challengeToken }, context: OFFICE }))).toBe(
      "CHALLENGE_EXPIRED",
    );
    expect(await db.session.count({ where: { userId: w.member.userId, lowerAssurance: true } })).toBe(0);
  });
});
