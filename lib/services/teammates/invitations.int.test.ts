import { describe, expect, it } from "vitest";
import { addMember, createOrgWithOwner, ctx, invitationTokenFor, PASSWORD, uniqueEmail } from "@/test/factories";
import { db } from "../../db";
import { DomainError } from "../../errors";
import { acceptInvitation, describeInvitation, inviteMember, revokeInvitation } from "./invitations";

const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof DomainError ? e.code : String(e)),
  );

describe("invitations", () => {
  it("sends the invitation mail through the outbox with the invitation, and stores only a hash of the token", async () => {
    const owner = await createOrgWithOwner();
    const email = uniqueEmail("invitee");
    await inviteMember(owner.actor, { email, role: "MEMBER", type: "CONTRACTOR" }, ctx);
    const token = await invitationTokenFor(email);
    const inv = await db.invitation.findFirstOrThrow({ where: { email } });
    expect(inv.tokenHash).not.toBe(token);
    expect(
      await db.auditEvent.count({ where: { organizationId: owner.organizationId, type: "invitation.sent" } }),
    ).toBe(1);
    const info = await describeInvitation(token);
    expect(info).toMatchObject({ email, role: "MEMBER", type: "CONTRACTOR", existingAccount: false });
  });

  it("accepts once: a second use of the link is refused and creates nothing", async () => {
    const owner = await createOrgWithOwner();
    const email = uniqueEmail("invitee");
    await inviteMember(owner.actor, { email, role: "ADMIN", type: "EMPLOYEE" }, ctx);
    const token = await invitationTokenFor(email);
    const results = await Promise.all(
      [1, 2, 3].map(() => codeOf(acceptInvitation({ token, name: "New Person", password: PASSWORD }, ctx))),
    );
    expect(results.filter((r) => r === "ok")).toHaveLength(1);
    expect(await db.user.count({ where: { email } })).toBe(1);
    const m = await db.membership.findFirstOrThrow({
      where: { organizationId: owner.organizationId, user: { email } },
    });
    expect(m.role).toBe("ADMIN");
    expect(await codeOf(acceptInvitation({ token, name: "New Person", password: PASSWORD }, ctx))).toBe(
      "INVITATION_USED",
    );
  });

  it("refuses expired, revoked and unknown links", async () => {
    const owner = await createOrgWithOwner();
    const email = uniqueEmail("late");
    await inviteMember(owner.actor, { email, role: "MEMBER", type: "EMPLOYEE" }, ctx);
    const token = await invitationTokenFor(email);
    const inEightDays = new Date(Date.now() + 8 * 86_400_000);
    expect(await codeOf(acceptInvitation({ token, name: "Late", password: PASSWORD }, ctx, db, inEightDays))).toBe(
      "INVITATION_EXPIRED",
    );
    const inv = await db.invitation.findFirstOrThrow({ where: { email } });
    await revokeInvitation(owner.actor, inv.id, ctx);
    expect(await codeOf(acceptInvitation({ token, name: "Late", password: PASSWORD }, ctx))).toBe("INVITATION_INVALID");
    expect(await codeOf(describeInvitation("x".repeat(43)))).toBe("INVITATION_INVALID");
    expect(await db.user.count({ where: { email } })).toBe(0);
  });

  it("refuses a weak password without consuming the invitation", async () => {
    const owner = await createOrgWithOwner();
    const email = uniqueEmail("weak");
    await inviteMember(owner.actor, { email, role: "MEMBER", type: "EMPLOYEE" }, ctx);
    const token = await invitationTokenFor(email);
    const err = await acceptInvitation({ token, name: "Weak", password: "short" }, ctx).catch((e) => e);
    expect(err.code).toBe("VALIDATION");
    expect(err.fields.password).toMatch(/at least 10/);
    expect((await db.invitation.findFirstOrThrow({ where: { email } })).acceptedAt).toBeNull();
    expect(await codeOf(acceptInvitation({ token, name: "Weak", password: PASSWORD }, ctx))).toBe("ok");
  });

  it("lets an existing account join with its own password only", async () => {
    const owner = await createOrgWithOwner();
    const other = await createOrgWithOwner();
    await inviteMember(owner.actor, { email: other.email, role: "MEMBER", type: "CLIENT" }, ctx);
    const token = await invitationTokenFor(other.email);
    expect((await describeInvitation(token)).existingAccount).toBe(true);
    expect(await codeOf(acceptInvitation({ token, password: "not the password" }, ctx))).toBe("INVALID_CREDENTIALS");
    expect(await codeOf(acceptInvitation({ token, password: PASSWORD }, ctx))).toBe("ok");
    expect(await db.membership.count({ where: { userId: other.userId, status: "ACTIVE" } })).toBe(2);
  });

  it("refuses members and admins of other organizations, and duplicate members", async () => {
    const owner = await createOrgWithOwner();
    const member = await addMember(owner.actor);
    const stranger = await createOrgWithOwner();
    expect(
      await codeOf(inviteMember(member.actor, { email: uniqueEmail(), role: "MEMBER", type: "EMPLOYEE" }, ctx)),
    ).toBe("FORBIDDEN");
    const crossOrg = { userId: stranger.userId, organizationId: owner.organizationId, sessionId: null };
    expect(await codeOf(inviteMember(crossOrg, { email: uniqueEmail(), role: "MEMBER", type: "EMPLOYEE" }, ctx))).toBe(
      "FORBIDDEN",
    );
    expect(
      await codeOf(inviteMember(owner.actor, { email: member.email, role: "MEMBER", type: "EMPLOYEE" }, ctx)),
    ).toBe("ALREADY_MEMBER");
    expect(await db.invitation.count({ where: { organizationId: owner.organizationId } })).toBe(1);
  });
});
