import { describe, expect, it } from "vitest";
import { createOrgWithOwner, ctx, signIn } from "@/test/factories";
import { db } from "../../db";
import { env } from "../../env";
import { loadActiveSession } from "./active-session";
import { signOutSession } from "./sign-out-session";

// S43: every way a session ends (sign-out by any path, absolute expiry, idle timeout) ends its row, and an ended row
// is refused however it is presented again.

const minutes = (from: Date, m: number) => new Date(from.getTime() + m * 60_000);

describe("signing out by session id (S43)", () => {
  it("revokes exactly that session: the user's other sessions and other users' sessions stay valid", async () => {
    const owner = await createOrgWithOwner();
    const other = await createOrgWithOwner();
    const [a, b, c] = [await signIn(owner), await signIn(owner), await signIn(owner)];
    const theirs = await signIn(other);

    await signOutSession({ input: { sessionId: b }, context: ctx });

    const rows = await db.session.findMany({ where: { id: { in: [a, b, c, theirs] } } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(b)?.revokedReason).toBe("signed_out");
    expect(byId.get(b)?.revokedAt).toBeInstanceOf(Date);
    for (const id of [a, c, theirs]) expect(byId.get(id)?.revokedAt).toBeNull();
    expect(await loadActiveSession(b)).toBeNull();
    for (const id of [a, c, theirs]) expect((await loadActiveSession(id))?.id).toBe(id);
    expect(await db.auditEvent.count({ where: { type: "signout", actorId: owner.userId } })).toBe(1);
  });

  it("20 racing sign-outs of one session (button, next-auth's endpoint, two tabs) end it once, audited once", async () => {
    const owner = await createOrgWithOwner();
    const sid = await signIn(owner);
    await Promise.all(Array.from({ length: 20 }, () => signOutSession({ input: { sessionId: sid }, context: ctx })));
    expect(await loadActiveSession(sid)).toBeNull();
    expect(await db.auditEvent.count({ where: { type: "signout", actorId: owner.userId } })).toBe(1);
  });

  it("signing out an unknown or already ended session changes nothing", async () => {
    const owner = await createOrgWithOwner();
    const sid = await signIn(owner);
    await signOutSession({ input: { sessionId: sid }, context: ctx });
    const before = await db.session.findUniqueOrThrow({ where: { id: sid } });
    await signOutSession({ input: { sessionId: sid }, context: ctx });
    await signOutSession({ input: { sessionId: "no-such-session" }, context: ctx });
    expect(await db.session.findUniqueOrThrow({ where: { id: sid } })).toEqual(before);
    expect(await db.auditEvent.count({ where: { type: "signout", actorId: owner.userId } })).toBe(1);
  });
});

describe("session expiry ends the session (S22, S43)", () => {
  it("past its absolute lifetime a session is refused and ended: extending expiresAt afterwards does not revive it", async () => {
    const owner = await createOrgWithOwner();
    const start = new Date();
    const sid = await signIn(owner, start);
    // Active all along (seen a minute ago), yet past the absolute lifetime.
    const later = minutes(start, env.SESSION_MAX_AGE_HOURS * 60 + 1);
    await db.session.update({ where: { id: sid }, data: { lastSeenAt: minutes(later, -1) } });
    expect(await loadActiveSession(sid, { now: later })).toBeNull();
    const row = await db.session.findUniqueOrThrow({ where: { id: sid } });
    expect([row.revokedAt, row.revokedReason]).toEqual([later, "expired"]);

    await db.session.update({ where: { id: sid }, data: { expiresAt: minutes(later, 600) } });
    expect(await loadActiveSession(sid, { now: later })).toBeNull();
  });

  it("after the idle limit a session is refused and ended: a later touch does not revive it", async () => {
    const owner = await createOrgWithOwner();
    const start = new Date();
    const sid = await signIn(owner, start);
    expect((await loadActiveSession(sid, { now: minutes(start, 1) }))?.id).toBe(sid);

    const idle = minutes(start, env.SESSION_IDLE_MINUTES + 2);
    expect(await loadActiveSession(sid, { now: idle })).toBeNull();
    const row = await db.session.findUniqueOrThrow({ where: { id: sid } });
    expect([row.revokedAt, row.revokedReason]).toEqual([idle, "idle_timeout"]);

    // A request that had loaded the session just before it went idle now writes its touch: still ended.
    await db.session.update({ where: { id: sid }, data: { lastSeenAt: idle } });
    expect(await loadActiveSession(sid, { now: minutes(idle, 1) })).toBeNull();
  });

  it("a session used within the idle limit stays valid and is touched", async () => {
    const owner = await createOrgWithOwner();
    const start = new Date();
    const sid = await signIn(owner, start);
    const soon = minutes(start, Math.max(2, Math.floor(env.SESSION_IDLE_MINUTES / 2)));
    expect((await loadActiveSession(sid, { now: soon }))?.id).toBe(sid);
    const row = await db.session.findUniqueOrThrow({ where: { id: sid } });
    expect([row.revokedAt, row.lastSeenAt]).toEqual([null, soon]);
  });
});
