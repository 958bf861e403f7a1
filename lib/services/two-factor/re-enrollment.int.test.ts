// The teammate's side of an admin reset: the mailed link, the password, and an ordinary sign-in (S16) that lands in
// setup. Links are created directly here; the reset itself is covered by admin-two-factor.int.test.ts.
import { describe, expect, it } from "vitest";
import { addMember, createOrgWithOwner, ctx, PASSWORD } from "@/test/factories";
import { db } from "../../db";
import { completeSignIn } from "../sign-in/complete-sign-in";
import { createReEnrollmentToken, describeReEnrollmentToken, signInWithReEnrollmentToken } from "./re-enrollment";

describe("re-enrollment link sign-in", () => {
  it("describes the link, needs the password, starts a sign-in that needs nothing more, and works once", async () => {
    const owner = await createOrgWithOwner({ name: "Relink Org" });
    const member = await addMember(owner.actor, { name: "Tom Li" });
    const t0 = new Date();
    const { token, expiresAt } = await db.$transaction((tx) =>
      createReEnrollmentToken(
        tx,
        { userId: member.userId, organizationId: owner.organizationId, createdById: owner.userId },
        t0,
      ),
    );
    expect(await describeReEnrollmentToken({ input: { token } }, { now: t0 })).toEqual({
      email: member.email,
      organizationName: "Relink Org",
      expiresAt,
    });
    await expect(
      signInWithReEnrollmentToken({ input: { token, password: "wrong password!" }, context: ctx }, { now: t0 }),
    ).rejects.toMatchObject({
      code: "INVALID_PASSWORD",
    });
    const { challengeToken, requirement } = await signInWithReEnrollmentToken(
      { input: { token, password: PASSWORD }, context: ctx },
      { now: t0 },
    );
    expect(requirement).toBe("none");
    const audit = await db.auditEvent.findMany({ where: { type: "2fa.reset_link_used", actorId: member.userId } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ organizationId: owner.organizationId, targetId: member.userId });
    expect(audit[0]?.metadata).toEqual({ resetById: owner.userId });
    const signedIn = await completeSignIn({ input: { challengeToken }, context: ctx });
    expect(signedIn.userId).toBe(member.userId);
    await expect(describeReEnrollmentToken({ input: { token } })).rejects.toMatchObject({ code: "REENROLLMENT_USED" });
    await expect(
      signInWithReEnrollmentToken({ input: { token, password: PASSWORD }, context: ctx }),
    ).rejects.toMatchObject({
      code: "REENROLLMENT_USED",
    });
  });

  it("refuses unknown and expired links (fake clock) without starting a sign-in", async () => {
    const owner = await createOrgWithOwner();
    const member = await addMember(owner.actor);
    const t0 = new Date();
    const { token, expiresAt } = await db.$transaction((tx) =>
      createReEnrollmentToken(
        tx,
        { userId: member.userId, organizationId: owner.organizationId, createdById: owner.userId },
        t0,
      ),
    );
    const challenges = () => db.signInChallenge.count({ where: { userId: member.userId } });
    const before = await challenges();
    await expect(describeReEnrollmentToken({ input: { token: "x".repeat(43) } })).rejects.toMatchObject({
      code: "REENROLLMENT_INVALID",
    });
    await expect(describeReEnrollmentToken({ input: { token } }, { now: expiresAt })).rejects.toMatchObject({
      code: "REENROLLMENT_EXPIRED",
    });
    await expect(
      signInWithReEnrollmentToken({ input: { token, password: PASSWORD }, context: ctx }, { now: expiresAt }),
    ).rejects.toMatchObject({
      code: "REENROLLMENT_EXPIRED",
    });
    expect(await challenges()).toBe(before);
  });
});
