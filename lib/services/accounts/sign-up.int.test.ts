// Sign-up against a real PostgreSQL: many people creating organizations with the same name at the same moment all get
// one, each with its own slug (before, the losers of the slug check failed on the unique index with an internal error).
// Needs a PostgreSQL server (two connections): the embedded database has one session, so nothing interleaves there.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ctx, uniqueEmail } from "@/test/factories";
import { db } from "../../db";
import { signUp } from "./sign-up";

const request = (organizationName: string, who: string) => ({
  input: { name: who, email: uniqueEmail(who.toLowerCase()), password: "a long enough password", organizationName },
  context: ctx,
});

describe("sign-up", () => {
  it.skipIf(process.env.DATABASE_POOL_SIZE === "1")(
    "a second sign-up while the first one's organization is not yet committed: both succeed, the second with a suffixed slug",
    async () => {
      const organizationName = `Overlap Co ${randomUUID().slice(0, 8)}`;
      let second: Promise<unknown> | undefined;
      await db.$transaction(
        async (tx) => {
          await signUp(request(organizationName, "First"), { tx });
          // The first transaction holds the plain slug, uncommitted: the second sign-up's check cannot see it.
          second = signUp(request(organizationName, "Second"));
          await new Promise((r) => setTimeout(r, 500));
        },
        { timeout: 20_000 },
      );
      await expect(second).resolves.toMatchObject({ organizationId: expect.any(String) });
      const slugs = (await db.organization.findMany({ where: { name: organizationName }, select: { slug: true } })).map(
        (o) => o.slug,
      );
      const base = organizationName.toLowerCase().replace(/[^a-z0-9]+/g, "-");
      expect(slugs).toHaveLength(2);
      expect(slugs).toContain(base);
      expect(slugs.find((s) => s !== base)).toMatch(new RegExp(`^${base}-[a-z0-9]{4,}$`));
    },
  );

  it("40 parallel sign-ups with one organization name: every one succeeds, with 40 different slugs", async () => {
    const organizationName = `Race Co ${randomUUID().slice(0, 8)}`;
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => signUp(request(organizationName, `Racer${i}`))),
    );
    const failures = results.flatMap((r) => (r.status === "rejected" ? [String(r.reason)] : []));
    expect(failures).toEqual([]);
    const organizations = await db.organization.findMany({
      where: { name: organizationName },
      select: { slug: true, memberships: { select: { role: true } } },
    });
    expect(organizations).toHaveLength(40);
    expect(new Set(organizations.map((o) => o.slug)).size).toBe(40);
    const base = organizationName.toLowerCase().replace(/[^a-z0-9]+/g, "-");
    expect(organizations.filter((o) => o.slug === base)).toHaveLength(1);
    for (const o of organizations) {
      expect(o.slug.startsWith(base)).toBe(true);
      expect(o.memberships).toEqual([{ role: "OWNER" }]);
    }
  });
});
