import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { addMember, createOrgWithOwner, ctx } from "@/test/factories";
import { uniqueMobile } from "@/test/sms";
import { issueSmsCode } from "./codes";
import { organizationSmsOverview, setSmsCountries } from "./organization-sms";

// Organization security › Text messages: the owner (only) chooses the countries, each change audited; owners and
// administrators see today's texts against the organization's limit.

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof DomainError ? e.code : String(e)),
  );

describe("organization SMS settings", () => {
  it("only the owner sets the countries; unknown codes are refused; each change is audited once", async () => {
    const owner = await createOrgWithOwner();
    const admin = await addMember(owner, { role: "ADMIN" });
    expect(await codeOf(setSmsCountries({ actor: admin.actor, input: { countries: ["GB"] }, context: ctx }))).toBe(
      "FORBIDDEN",
    );
    expect(await codeOf(setSmsCountries({ actor: owner.actor, input: { countries: ["ZZ"] }, context: ctx }))).toBe(
      "VALIDATION",
    );
    const r = await setSmsCountries({ actor: owner.actor, input: { countries: ["us", "GB", "GB"] }, context: ctx });
    expect(r).toEqual({ countries: ["GB", "US"], changed: true });
    expect(
      (await setSmsCountries({ actor: owner.actor, input: { countries: ["US", "GB"] }, context: ctx })).changed,
    ).toBe(false);
    await setSmsCountries({ actor: owner.actor, input: { countries: ["GB"] }, context: ctx });
    const audits = await db.auditEvent.findMany({
      where: { organizationId: owner.organizationId, type: "policy.sms_countries_changed" },
      orderBy: { createdAt: "asc" },
    });
    expect(audits.map((a) => a.metadata)).toEqual([
      { countries: ["GB", "US"], added: ["GB", "US"], removed: [] },
      { countries: ["GB"], added: [], removed: ["US"] },
    ]);
  });

  it("shows today's texts of the organization to owners and administrators", async () => {
    const owner = await createOrgWithOwner();
    const admin = await addMember(owner, { role: "ADMIN" });
    const member = await addMember(owner);
    await setSmsCountries({ actor: owner.actor, input: { countries: ["GB"] }, context: ctx });
    const now = new Date();
    await db.$transaction((tx) =>
      issueSmsCode(
        tx,
        {
          userId: member.userId,
          phoneE164: uniqueMobile(),
          country: "GB",
          purpose: "enrol",
          organizationIds: [owner.organizationId],
          context: { ip: "198.51.100.9", userAgent: "t" },
        },
        now,
      ),
    );
    const view = await organizationSmsOverview({ actor: owner.actor }, { now });
    expect(view).toMatchObject({ countries: ["GB"], sentToday: 1, dailyLimit: 200, canEdit: true });
    expect((await organizationSmsOverview({ actor: admin.actor }, { now })).canEdit).toBe(false);
    expect(await codeOf(organizationSmsOverview({ actor: member.actor }))).toBe("FORBIDDEN");
  });
});
