// What every signed-in page reads before its own work (issue 13 targets 1 and 4: a console page's fixed cost): the
// session with its user, the membership with its organization (Prisma's relation joins, prisma/schema.prisma), the 2FA
// gate (guards, every request) and the user's own 2FA status (the console's layout, every page) are ONE statement each,
// and still give the right answers across organizations, modes, exemptions, factors and recovery codes. Statements are
// counted from the client's query log, never timed.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPlanDatabase, type PlanDatabase } from "@/test/plan-database";
import { actorMembership } from "../services/authz";
import { twoFactorGate } from "../services/org-policy/gate";
import { loadActiveSession } from "../services/sessions/active-session";
import { loadMembershipContext } from "../services/teammates/memberships";
import { twoFactorStatus } from "../services/two-factor/status";
import { DAY_MS } from "../time";

let p: PlanDatabase;
const now = new Date();
const later = (ms: number) => new Date(now.getTime() + ms);

beforeAll(async () => {
  p = await createPlanDatabase("reads", 3, "Reads Org");
}, 120_000);
afterAll(async () => p?.close());

/** Runs `call` and returns its result with the statements it sent. */
async function counted<T>(call: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  p.captured.length = 0;
  const result = await call();
  return { result, statements: p.captured.map((s) => s.query) };
}

const gate = (createdAt = later(-60_000)) =>
  counted(() =>
    twoFactorGate({ actor: { userId: p.ownerId }, input: { session: { createdAt } } }, { tx: p.client, now }),
  );

describe("a signed-in request's own reads", () => {
  it("the session with its user, and the membership with its organization, are one statement each", async () => {
    const id = `reads-session-${now.getTime()}`;
    await p.client.session.create({
      data: { id, userId: p.ownerId, lastSeenAt: now, expiresAt: later(DAY_MS), authMethod: "password+totp" },
    });
    const session = await counted(() => loadActiveSession(id, { tx: p.client, now }));
    expect(session.statements).toHaveLength(1);
    expect(session.result).toMatchObject({
      id,
      authMethod: "password+totp",
      user: { id: p.ownerId, email: "owner@reads-org.test", name: "Reads Org Owner" },
    });
    expect(session.result?.user.createdAt).toBeInstanceOf(Date);
    // A revoked session is still refused (and read in one statement).
    await p.client.session.update({ where: { id }, data: { revokedAt: now } });
    const revoked = await counted(() => loadActiveSession(id, { tx: p.client, now }));
    expect(revoked.result).toBeNull();
    expect(revoked.statements).toHaveLength(1);

    const membership = await counted(() => loadMembershipContext({ actor: { userId: p.ownerId } }, { tx: p.client }));
    expect(membership.statements).toHaveLength(1);
    expect(membership.result).toEqual({
      membership: { id: expect.any(String), role: "OWNER", type: "EMPLOYEE" },
      organization: { id: p.organizationId, name: "Reads Org", slug: "reads-org", plan: "FREE" },
    });
  });

  it("an administrator's authorization check (the membership and the session's assurance, S30) is one statement", async () => {
    const id = `reads-admin-${now.getTime()}`;
    await p.client.session.create({
      data: { id, userId: p.ownerId, lastSeenAt: now, expiresAt: later(DAY_MS), lowerAssurance: true },
    });
    const actor = { userId: p.ownerId, sessionId: id, organizationId: p.organizationId };
    const check = (roles: ("OWNER" | "ADMIN" | "MEMBER")[]) =>
      counted(() => actorMembership(p.client, actor, roles).catch((e: unknown) => e));

    // A sign-in that skipped its second step: refused for admin work until it steps up, in one statement.
    let c = await check(["OWNER", "ADMIN"]);
    expect(c.result).toMatchObject({ code: "STEP_UP_REQUIRED" });
    expect(c.statements).toHaveLength(1);
    // Work that members may do too does not ask for the step-up.
    c = await check(["OWNER", "ADMIN", "MEMBER"]);
    expect(c.result).toMatchObject({ role: "OWNER", organizationId: p.organizationId, userId: p.ownerId });
    expect(c.result).not.toHaveProperty("user");
    expect(c.statements).toHaveLength(1);
    // Stepped up: allowed.
    await p.client.session.update({ where: { id }, data: { stepUpAt: now } });
    c = await check(["OWNER", "ADMIN"]);
    expect(c.result).toMatchObject({ role: "OWNER" });
    expect(c.statements).toHaveLength(1);
    // Not one of the roles: FORBIDDEN, before any assurance question.
    c = await check(["ADMIN"]);
    expect(c.result).toMatchObject({ code: "FORBIDDEN" });
  });

  it("the gate is one statement, across several organizations, modes, exemptions and factors", async () => {
    // Nothing required anywhere: clear.
    let g = await gate();
    expect(g.result).toEqual({ kind: "clear" });
    expect(g.statements).toHaveLength(1);

    // Org 1 requires an authenticator app now; org 2 (also the owner's) allows SMS with a deadline in 5 days and does not exempt SSO users; org 3
    // requires 2FA but the owner was removed from it.
    await p.client.organization.update({
      where: { id: p.organizationId },
      data: { requireTwoFactor: true, enforcementMode: "NOW", allowedMethods: ["TOTP"], modeSince: later(-DAY_MS) },
    });
    const deadline = later(5 * DAY_MS);
    for (const [slug, status] of [
      ["reads-two", "ACTIVE"],
      ["reads-three", "REMOVED"],
    ] as const) {
      const org = await p.client.organization.create({
        data: {
          name: slug === "reads-two" ? "Second Org" : "Third Org",
          slug,
          requireTwoFactor: true,
          enforcementMode: slug === "reads-two" ? "GRACE" : "NOW",
          graceDeadline: slug === "reads-two" ? deadline : null,
          allowedMethods: ["TOTP", "SMS"],
          exemptSso: false,
        },
      });
      await p.client.membership.create({ data: { organizationId: org.id, userId: p.ownerId, status } });
    }

    // No factor: org 1 blocks (and only org 1: the removed membership does not count).
    g = await gate();
    expect(g.result).toEqual({ kind: "setup-required", organizationNames: ["Reads Org"] });
    expect(g.statements).toHaveLength(1);

    // A phone only: org 2 is satisfied, org 1 (app only) still blocks.
    await p.client.phoneFactor.create({ data: { userId: p.ownerId, phoneE164: "+14155550123", country: "US" } });
    g = await gate();
    expect(g.result).toEqual({ kind: "setup-required", organizationNames: ["Reads Org"] });

    // An administrator's exemption in org 1: clear (org 2 is satisfied by the phone).
    await p.client.membership.updateMany({
      where: { organizationId: p.organizationId, userId: p.ownerId },
      data: { twoFactorExemptUntil: later(DAY_MS) },
    });
    g = await gate();
    expect(g.result).toEqual({ kind: "clear" });

    // Without the phone: org 2's grace period shows as a notice with its deadline.
    await p.client.phoneFactor.delete({ where: { userId: p.ownerId } });
    g = await gate();
    expect(g.result).toEqual({ kind: "notice", organizationName: "Second Org", mode: "GRACE", deadline });
    expect(g.statements).toHaveLength(1);

    // The exemption ended: org 1 blocks again.
    await p.client.membership.updateMany({
      where: { organizationId: p.organizationId, userId: p.ownerId },
      data: { twoFactorExemptUntil: later(-1) },
    });
    g = await gate();
    expect(g.result).toEqual({ kind: "setup-required", organizationNames: ["Reads Org"] });

    // An SSO user: org 1 exempts SSO users (not blocked there any more), org 2 does not (its notice stays).
    await p.client.user.update({ where: { id: p.ownerId }, data: { signInMethod: "SSO" } });
    g = await gate();
    expect(g.result).toEqual({ kind: "notice", organizationName: "Second Org", mode: "GRACE", deadline });
    await p.client.user.update({ where: { id: p.ownerId }, data: { signInMethod: "PASSWORD" } });
  });

  it("the user's 2FA status is one statement: factors, recovery codes left and in all, the snoozed suggestion", async () => {
    let s = await counted(() => twoFactorStatus({ actor: { userId: p.ownerId } }, { tx: p.client, now }));
    expect(s.statements).toHaveLength(1);
    expect(s.result).toMatchObject({
      enabled: false,
      anyFactor: false,
      phone: null,
      recoveryCodesRemaining: 0,
      recoveryCodesTotal: 0,
      suggestionDismissed: false,
    });

    const confirmedAt = new Date("2026-11-02T10:00:00.000Z");
    await p.client.phoneFactor.create({
      data: { userId: p.ownerId, phoneE164: "+447700900123", country: "GB", confirmedAt },
    });
    await p.client.recoveryCode.createMany({
      data: ["a", "b", "c"].map((h, i) => ({ userId: p.ownerId, codeHash: h, usedAt: i === 0 ? now : null })),
    });
    await p.client.user.update({ where: { id: p.ownerId }, data: { twoFactorSuggestionDismissedAt: later(-DAY_MS) } });
    s = await counted(() => twoFactorStatus({ actor: { userId: p.ownerId } }, { tx: p.client, now }));
    expect(s.statements).toHaveLength(1);
    expect(s.result).toEqual({
      enabled: false,
      anyFactor: true,
      phone: { masked: expect.stringMatching(/0123$/), country: "GB", confirmedAt, lastUsedAt: null },
      confirmedAt: null,
      lastUsedAt: null,
      recoveryCodesRemaining: 2,
      recoveryCodesTotal: 3,
      suggestionDismissed: true,
    });
    expect(s.result.phone?.masked).not.toContain("7700900");

    // An authenticator app too; the snooze is 30 days old: the suggestion is back.
    const lastUsedAt = new Date("2026-11-20T08:30:00.000Z");
    await p.client.totpFactor.create({
      data: { userId: p.ownerId, secretEnc: "sealed", keyVersion: 1, confirmedAt, lastUsedAt },
    });
    await p.client.user.update({
      where: { id: p.ownerId },
      data: { twoFactorSuggestionDismissedAt: later(-31 * DAY_MS) },
    });
    s = await counted(() => twoFactorStatus({ actor: { userId: p.ownerId } }, { tx: p.client, now }));
    expect(s.statements).toHaveLength(1);
    expect(s.result).toMatchObject({
      enabled: true,
      anyFactor: true,
      confirmedAt,
      lastUsedAt,
      recoveryCodesRemaining: 2,
      recoveryCodesTotal: 3,
      suggestionDismissed: false,
    });
  });
});
