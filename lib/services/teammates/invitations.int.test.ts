import { describe, expect, it } from "vitest";
import { addMember, createOrgWithOwner, ctx, invitationTokenFor, PASSWORD, uniqueEmail } from "@/test/factories";
import { db } from "../../db";
import { DomainError } from "../../errors";
import { acceptInvitation } from "./accept-invitation";
import { describeInvitation } from "./describe-invitation";
import { inviteMember } from "./invite";
import { revokeInvitation } from "./revoke-invitation";

const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof DomainError ? e.code : String(e)),
  );

describe("invitations", () => {
  it("sends the invitation mail through the outbox with the invitation, and stores only a hash of the token", async () => {
    const owner = await createOrgWithOwner();
    const email = uniqueEmail("invitee");
    await inviteMember({ actor: owner.actor, input: { email, role: "MEMBER", type: "CONTRACTOR" }, context: ctx });
    const token = await invitationTokenFor(email);
    const inv = await db.invitation.findFirstOrThrow({ where: { email } });
    expect(inv.tokenHash).not.toBe(token);
    expect(
      await db.auditEvent.count({ where: { organizationId: owner.organizationId, type: "invitation.sent" } }),
    ).toBe(1);
    const info = await describeInvitation({ input: { token } });
    expect(info).toMatchObject({ email, role: "MEMBER", type: "CONTRACTOR", existingAccount: false });
  });

  it("accepts once: a second use of the link is refused and creates nothing", async () => {
    const owner = await createOrgWithOwner();
    const email = uniqueEmail("invitee");
    await inviteMember({ actor: owner.actor, input: { email, role: "ADMIN", type: "EMPLOYEE" }, context: ctx });
    const token = await invitationTokenFor(email);
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        codeOf(acceptInvitation({ input: { token, name: "New Person", password: PASSWORD }, context: ctx })),
      ),
    );
    expect(results.filter((r) => r === "ok")).toHaveLength(1);
    expect(await db.user.count({ where: { email } })).toBe(1);
    const m = await db.membership.findFirstOrThrow({
      where: { organizationId: owner.organizationId, user: { email } },
    });
    expect(m.role).toBe("ADMIN");
    expect(
      await codeOf(acceptInvitation({ input: { token, name: "New Person", password: PASSWORD }, context: ctx })),
    ).toBe("INVITATION_USED");
  });

  it("refuses expired, revoked and unknown links", async () => {
    const owner = await createOrgWithOwner();
    const email = uniqueEmail("late");
    await inviteMember({ actor: owner.actor, input: { email, role: "MEMBER", type: "EMPLOYEE" }, context: ctx });
    const token = await invitationTokenFor(email);
    const inEightDays = new Date(Date.now() + 8 * 86_400_000);
    expect(
      await codeOf(
        acceptInvitation(
          { input: { token, name: "Late", password: PASSWORD }, context: ctx },
          { tx: db, now: inEightDays },
        ),
      ),
    ).toBe("INVITATION_EXPIRED");
    const inv = await db.invitation.findFirstOrThrow({ where: { email } });
    await revokeInvitation({ actor: owner.actor, input: { invitationId: inv.id }, context: ctx });
    expect(await codeOf(acceptInvitation({ input: { token, name: "Late", password: PASSWORD }, context: ctx }))).toBe(
      "INVITATION_INVALID",
    );
    expect(await codeOf(describeInvitation({ input: { token: "x".repeat(43) } }))).toBe("INVITATION_INVALID");
    expect(await db.user.count({ where: { email } })).toBe(0);
  });

  it("refuses a weak password without consuming the invitation", async () => {
    const owner = await createOrgWithOwner();
    const email = uniqueEmail("weak");
    await inviteMember({ actor: owner.actor, input: { email, role: "MEMBER", type: "EMPLOYEE" }, context: ctx });
    const token = await invitationTokenFor(email);
    const err = await acceptInvitation({ input: { token, name: "Weak", password: "short" }, context: ctx }).catch(
      (e) => e,
    );
    expect(err.code).toBe("VALIDATION");
    expect(err.fields.password).toMatch(/at least 10/);
    expect((await db.invitation.findFirstOrThrow({ where: { email } })).acceptedAt).toBeNull();
    expect(await codeOf(acceptInvitation({ input: { token, name: "Weak", password: PASSWORD }, context: ctx }))).toBe(
      "ok",
    );
  });

  it("lets an existing account join with its own password only", async () => {
    const owner = await createOrgWithOwner();
    const other = await createOrgWithOwner();
    await inviteMember({
      actor: owner.actor,
      input: { email: other.email, role: "MEMBER", type: "CLIENT" },
      context: ctx,
    });
    const token = await invitationTokenFor(other.email);
    expect((await describeInvitation({ input: { token } })).existingAccount).toBe(true);
    expect(await codeOf(acceptInvitation({ input: { token, password: "not the password" }, context: ctx }))).toBe(
      "INVALID_CREDENTIALS",
    );
    expect(await codeOf(acceptInvitation({ input: { token, password: PASSWORD }, context: ctx }))).toBe("ok");
    expect(await db.membership.count({ where: { userId: other.userId, status: "ACTIVE" } })).toBe(2);
  });

  it("refuses members and admins of other organizations, and duplicate members", async () => {
    const owner = await createOrgWithOwner();
    const member = await addMember(owner.actor);
    const stranger = await createOrgWithOwner();
    expect(
      await codeOf(
        inviteMember({
          actor: member.actor,
          input: { email: uniqueEmail(), role: "MEMBER", type: "EMPLOYEE" },
          context: ctx,
        }),
      ),
    ).toBe("FORBIDDEN");
    const crossOrg = { userId: stranger.userId, organizationId: owner.organizationId, sessionId: null };
    expect(
      await codeOf(
        inviteMember({
          actor: crossOrg,
          input: { email: uniqueEmail(), role: "MEMBER", type: "EMPLOYEE" },
          context: ctx,
        }),
      ),
    ).toBe("FORBIDDEN");
    expect(
      await codeOf(
        inviteMember({
          actor: owner.actor,
          input: { email: member.email, role: "MEMBER", type: "EMPLOYEE" },
          context: ctx,
        }),
      ),
    ).toBe("ALREADY_MEMBER");
    expect(await db.invitation.count({ where: { organizationId: owner.organizationId } })).toBe(1);
  });

  it("50 parallel invitations of one address: each replaces the last, so exactly one link is live", async () => {
    const owner = await createOrgWithOwner();
    const email = uniqueEmail("double-click");
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        codeOf(
          inviteMember({
            actor: owner.actor,
            input: { email, role: i % 2 ? "ADMIN" : "MEMBER", type: "EMPLOYEE" },
            context: ctx,
          }),
        ),
      ),
    );
    expect(results.filter((r) => r !== "ok")).toEqual([]);
    const live = await db.invitation.findMany({
      where: { organizationId: owner.organizationId, email, acceptedAt: null, revokedAt: null },
    });
    expect(live).toHaveLength(1);
    expect(await db.invitation.count({ where: { organizationId: owner.organizationId, email } })).toBe(50);
    // The backstop: the database itself refuses a second live invitation of the address (Invitation_live_key).
    const [first] = live as [(typeof live)[number]];
    const copy = { ...first, id: undefined, tokenHash: `${first.tokenHash}-copy`, createdAt: undefined };
    await expect(db.invitation.create({ data: copy })).rejects.toMatchObject({ code: "P2002" });
  });

  it("two organizations' invitations for one new address accepted at once: one creates the account, the other gets a clear answer", async () => {
    const [a, b] = [await createOrgWithOwner(), await createOrgWithOwner()];
    const email = uniqueEmail("two-orgs");
    const tokens: string[] = [];
    for (const owner of [a, b]) {
      await inviteMember({ actor: owner.actor, input: { email, role: "MEMBER", type: "EMPLOYEE" }, context: ctx });
      tokens.push(await invitationTokenFor(email));
    }
    const [tokenA, tokenB] = tokens as [string, string];
    const results = await Promise.all(
      [tokenA, tokenB].map((token) =>
        codeOf(acceptInvitation({ input: { token, name: "Two Orgs", password: PASSWORD }, context: ctx })),
      ),
    );
    // Both may succeed when one transaction commits before the other reads; otherwise the loser is told the account
    // now exists, and its invitation stays usable with that account's password.
    for (const r of results) expect(["ok", "ACCOUNT_CREATED_MEANWHILE"]).toContain(r);
    expect(await db.user.count({ where: { email } })).toBe(1);
    for (const [i, owner] of [a, b].entries()) {
      if (results[i] === "ok") continue;
      expect(
        await codeOf(
          acceptInvitation({ input: { token: [tokenA, tokenB][i] as string, password: PASSWORD }, context: ctx }),
        ),
      ).toBe("ok");
      expect(await db.membership.count({ where: { organizationId: owner.organizationId, user: { email } } })).toBe(1);
    }
  });

  it("checks its input again (S45): a crafted call's mixed-case address is the same address, a bad one changes nothing", async () => {
    const owner = await createOrgWithOwner();
    const email = uniqueEmail("case");
    const invite = (address: string) =>
      codeOf(
        inviteMember({ actor: owner.actor, input: { email: address, role: "MEMBER", type: "EMPLOYEE" }, context: ctx }),
      );
    expect(await invite(email)).toBe("ok");
    expect(await invite(`  ${email.toUpperCase()} `)).toBe("ok");
    const rows = await db.invitation.findMany({ where: { organizationId: owner.organizationId } });
    expect(rows.map((r) => r.email)).toEqual([email, email]);
    expect(rows.filter((r) => r.revokedAt === null)).toHaveLength(1);
    expect(await invite("not an address")).toBe("VALIDATION");
    expect(await invite(`${email}\u0000`)).toBe("VALIDATION");
    expect(await db.invitation.count({ where: { organizationId: owner.organizationId } })).toBe(2);
  });
});
