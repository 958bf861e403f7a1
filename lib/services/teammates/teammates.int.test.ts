import { describe, expect, it } from "vitest";
import { addMember, createOrgWithOwner, ctx, steppedUp } from "@/test/factories";
import { db } from "../../db";
import { DomainError } from "../../errors";
import { changeRole, listTeammates } from "./teammates";

const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof DomainError ? e.code : String(e)),
  );

describe("the directory is paginated by keyset", () => {
  it("walks every member exactly once, owner and admins first, and ignores a foreign cursor", async () => {
    const owner = await createOrgWithOwner();
    const admin = await addMember(owner.actor, { role: "ADMIN" });
    for (let i = 0; i < 4; i++) await addMember(owner.actor, { type: i % 2 ? "CLIENT" : "EMPLOYEE" });
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof listTeammates>> = await listTeammates({
        actor: owner.actor,
        input: { after, limit: 2 },
      });
      expect(page.total).toBe(6);
      seen.push(...page.rows.map((r) => r.userId));
      after = page.nextCursor;
      pages += 1;
    } while (after && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(6);
    expect(seen.slice(0, 2)).toEqual([owner.userId, admin.userId]);

    const other = await createOrgWithOwner();
    const foreign = await listTeammates({ actor: other.actor, input: { after: admin.membershipId, limit: 2 } });
    expect(foreign.rows.map((r) => r.userId)).toEqual([other.userId]);
  });
});

describe("role changes: who may act on whom (S25)", () => {
  it("enforces the role × target × organization matrix in the service", async () => {
    const owner = await createOrgWithOwner();
    const admin = await addMember(owner.actor, { role: "ADMIN" });
    const member = await addMember(owner.actor, { role: "MEMBER" });
    const other = await createOrgWithOwner();
    const otherMember = await addMember(other.actor);
    const ownerMembership = await db.membership.findFirstOrThrow({
      where: { organizationId: owner.organizationId, role: "OWNER" },
    });
    const as = { admin: await steppedUp(admin), member: await steppedUp(member), other: await steppedUp(other) };

    const cases: [string, () => Promise<unknown>, string][] = [
      [
        "member promotes themself",
        () =>
          changeRole({ actor: as.member, input: { membershipId: member.membershipId, role: "ADMIN" }, context: ctx }),
        "FORBIDDEN",
      ],
      [
        "member acts on admin",
        () =>
          changeRole({ actor: as.member, input: { membershipId: admin.membershipId, role: "MEMBER" }, context: ctx }),
        "FORBIDDEN",
      ],
      [
        "admin acts on owner",
        () =>
          changeRole({ actor: as.admin, input: { membershipId: ownerMembership.id, role: "MEMBER" }, context: ctx }),
        "OWNER_PROTECTED",
      ],
      [
        "admin acts on another org's member",
        () =>
          changeRole({
            actor: as.admin,
            input: { membershipId: otherMember.membershipId, role: "ADMIN" },
            context: ctx,
          }),
        "NOT_FOUND",
      ],
      [
        "other org's owner claims this org",
        () =>
          changeRole({
            actor: { ...as.other, organizationId: owner.organizationId },
            input: { membershipId: member.membershipId, role: "ADMIN" },
            context: ctx,
          }),
        "FORBIDDEN",
      ],
      [
        "admin changes own role",
        () =>
          changeRole({ actor: as.admin, input: { membershipId: admin.membershipId, role: "MEMBER" }, context: ctx }),
        "FORBIDDEN",
      ],
    ];
    for (const [name, act, expected] of cases) expect([name, await codeOf(act())]).toEqual([name, expected]);
    // Nothing changed, nothing audited.
    expect((await db.membership.findUniqueOrThrow({ where: { id: member.membershipId } })).role).toBe("MEMBER");
    expect(
      await db.auditEvent.count({
        where: { type: "member.role_changed", organizationId: { in: [owner.organizationId, other.organizationId] } },
      }),
    ).toBe(0);

    expect(
      await codeOf(
        changeRole({ actor: as.admin, input: { membershipId: member.membershipId, role: "ADMIN" }, context: ctx }),
      ),
    ).toBe("ok");
    expect((await db.membership.findUniqueOrThrow({ where: { id: member.membershipId } })).role).toBe("ADMIN");
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { type: "member.role_changed", organizationId: owner.organizationId },
    });
    expect(audit).toMatchObject({
      actorId: admin.userId,
      targetId: member.userId,
      metadata: { from: "MEMBER", to: "ADMIN" },
    });
  });

  it("lists only the actor's own organization", async () => {
    const owner = await createOrgWithOwner();
    await addMember(owner.actor, { type: "CLIENT" });
    const other = await createOrgWithOwner();
    const { rows, total, nextCursor } = await listTeammates({ actor: owner.actor });
    expect(rows).toHaveLength(2);
    expect(total).toBe(2);
    expect(nextCursor).toBeNull();
    expect(rows.map((r) => r.role)).toEqual(["OWNER", "MEMBER"]);
    expect(
      await codeOf(
        listTeammates({ actor: { userId: other.userId, organizationId: owner.organizationId, sessionId: null } }),
      ),
    ).toBe("FORBIDDEN");
  });
});
