// The audit log's filters and keyset pages against a real PostgreSQL, with events at fixed times.
import { describe, expect, it } from "vitest";
import { addMember, createOrgWithOwner } from "@/test/factories";
import { db } from "../../db";
import { DomainError } from "../../errors";
import type { AuditEventType } from "./audit-log";
import {
  type AuditCursor,
  type AuditSearch,
  decodeAuditCursor,
  encodeAuditCursor,
  searchAuditEvents,
} from "./audit-search";

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof DomainError ? e.code : `unexpected: ${String(e)}`),
  );
const day = (d: string, time = "12:00:00") => new Date(`${d}T${time}.000Z`);

async function world() {
  const owner = await createOrgWithOwner();
  const org = owner.organizationId;
  const ana = await addMember(owner.actor, { role: "ADMIN", name: "Ana Pereira" });
  const tom = await addMember(owner.actor, { name: "Tom Li" });
  const other = await createOrgWithOwner();
  const otherAdmin = await addMember(other.actor, { role: "ADMIN", name: "Ana Elsewhere" });
  // The factories wrote their own events (sign-up, invitations) just now; these are in 2025, well before them.
  const fixed: { type: AuditEventType; actorId: string; targetId: string | null; createdAt: Date }[] = [
    { type: "2fa.admin_reset", actorId: ana.userId, targetId: tom.userId, createdAt: day("2025-03-01") },
    { type: "signin.succeeded", actorId: tom.userId, targetId: tom.userId, createdAt: day("2025-03-02", "00:00:00") },
    { type: "signin.succeeded", actorId: ana.userId, targetId: ana.userId, createdAt: day("2025-03-02", "23:59:59") },
    { type: "2fa.recovery_codes_issued", actorId: ana.userId, targetId: tom.userId, createdAt: day("2025-03-03") },
    // Two events at the very same instant: the id breaks the tie, and paging must still see both.
    { type: "member.role_changed", actorId: owner.userId, targetId: ana.userId, createdAt: day("2025-03-04") },
    { type: "member.role_changed", actorId: owner.userId, targetId: tom.userId, createdAt: day("2025-03-04") },
    { type: "ownership.transferred", actorId: owner.userId, targetId: ana.userId, createdAt: day("2025-03-05") },
  ];
  for (const e of fixed) {
    await db.auditEvent.create({ data: { ...e, organizationId: org, metadata: { from: "MEMBER", to: "ADMIN" } } });
  }
  // Another organization's events, at the same times, by someone with a similar name.
  for (const e of fixed) {
    await db.auditEvent.create({
      data: {
        type: e.type,
        actorId: otherAdmin.userId,
        targetId: other.userId,
        createdAt: e.createdAt,
        organizationId: other.organizationId,
      },
    });
  }
  return { owner, org, ana, tom, other, otherAdmin };
}

type World = Awaited<ReturnType<typeof world>>;
const inMarch = { from: day("2025-03-01", "00:00:00"), to: day("2025-04-01", "00:00:00") };

describe("audit log search", () => {
  it("filters by event type, actor, target and date range, newest first", async () => {
    const w = await world();
    const admin = { userId: w.ana.userId, organizationId: w.org, sessionId: null };
    const texts = async (search: AuditSearch) =>
      (await searchAuditEvents({ actor: admin, input: { ...inMarch, ...search } })).events.map((e) => e.text);

    expect(await texts({})).toHaveLength(7);
    expect(await texts({ type: "2fa.admin_reset" })).toEqual([
      "Ana Pereira reset Tom Li's two-factor authentication and signed them out everywhere",
    ]);
    expect(await texts({ type: "signin.succeeded" })).toEqual(["Ana Pereira signed in", "Tom Li signed in"]);
    expect(await texts({ type: "no.such_type" })).toEqual([]);
    // Actor by part of the name (any case) or of the email address; never the other org's "Ana".
    expect(await texts({ actor: "ana per" })).toHaveLength(3);
    expect(await texts({ actor: w.ana.email.toUpperCase() })).toHaveLength(3);
    expect(await texts({ actor: "Elsewhere" })).toEqual([]);
    expect(await texts({ target: "tom li", type: "2fa.recovery_codes_issued" })).toEqual([
      "Ana Pereira emailed new recovery codes to Tom Li",
    ]);
    expect(await texts({ target: "Tom" })).toHaveLength(4);
    // Date range: from is inclusive, to is exclusive (the page turns "to 2 March" into "before 3 March 00:00").
    expect(await texts({ from: day("2025-03-02", "00:00:00"), to: day("2025-03-03", "00:00:00") })).toEqual([
      "Ana Pereira signed in",
      "Tom Li signed in",
    ]);
    expect(await texts({ from: day("2025-03-05", "00:00:00"), to: day("2025-03-06", "00:00:00") })).toEqual([
      "Owner Person transferred ownership of the organization to Ana Pereira",
    ]);

    const first = (await searchAuditEvents({ actor: admin, input: { type: "ownership.transferred", ...inMarch } }))
      .events[0];
    expect(first).toMatchObject({
      label: "Ownership transferred",
      actorEmail: w.owner.email,
      targetName: "Ana Pereira",
      targetEmail: w.ana.email,
    });
  });

  it("keyset pages walk every event exactly once, in order, with the filters kept", async () => {
    const w = await world();
    const admin = { userId: w.owner.userId, organizationId: w.org, sessionId: null };
    const all = (await searchAuditEvents({ actor: admin, input: { limit: 200 } })).events;
    const seen: string[] = [];
    let before: AuditCursor | undefined;
    let pages = 0;
    for (;;) {
      const page = await searchAuditEvents({ actor: admin, input: { limit: 3, before } });
      seen.push(...page.events.map((e) => e.id));
      pages += 1;
      if (!page.nextCursor || pages > 20) break;
      // The cursor survives the URL round trip.
      before = decodeAuditCursor(encodeAuditCursor(page.nextCursor)) ?? undefined;
    }
    expect(seen).toEqual(all.map((e) => e.id));
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBe(Math.ceil(all.length / 3));
    const times = all.map((e) => e.createdAt.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const filteredSeen: string[] = [];
    let cursor: AuditCursor | undefined;
    do {
      const page = await searchAuditEvents({
        actor: admin,
        input: {
          ...inMarch,
          type: "member.role_changed",
          limit: 1,
          before: cursor,
        },
      });
      filteredSeen.push(...page.events.map((e) => e.type));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(filteredSeen).toEqual(["member.role_changed", "member.role_changed"]);
  });

  it("shows only the actor's organization, and only to its administrators", async () => {
    const w: World = await world();
    const mine = await searchAuditEvents({
      actor: { userId: w.owner.userId, organizationId: w.org, sessionId: null },
      input: { limit: 200 },
    });
    const ids = new Set(
      (await db.auditEvent.findMany({ where: { organizationId: w.org }, select: { id: true } })).map((r) => r.id),
    );
    expect(mine.events.length).toBe(ids.size);
    for (const e of mine.events) expect(ids.has(e.id)).toBe(true);
    // The other org's admin, even when claiming this org, is refused; a member is refused.
    expect(
      await codeOf(
        searchAuditEvents({ actor: { userId: w.otherAdmin.userId, organizationId: w.org, sessionId: null } }),
      ),
    ).toBe("FORBIDDEN");
    expect(
      await codeOf(searchAuditEvents({ actor: { userId: w.tom.userId, organizationId: w.org, sessionId: null } })),
    ).toBe("FORBIDDEN");
    const theirs = await searchAuditEvents({
      actor: { userId: w.otherAdmin.userId, organizationId: w.other.organizationId, sessionId: null },
      input: {
        ...inMarch,
        limit: 200,
      },
    });
    expect(theirs.events).toHaveLength(7);
    expect(theirs.events.every((e) => e.actorName === "Ana Elsewhere")).toBe(true);
  });

  it("a malformed cursor is ignored", () => {
    expect(decodeAuditCursor("abc")).toBeNull();
    expect(decodeAuditCursor(undefined)).toBeNull();
    expect(decodeAuditCursor("1740830400000-ckx1")).toEqual({ createdAt: new Date(1740830400000), id: "ckx1" });
  });
});
