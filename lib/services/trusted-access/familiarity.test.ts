import { describe, expect, it } from "vitest";
import { FAMILIAR_WINDOW_DAYS, judgeFamiliarity, type PassedPlace } from "./familiarity";

const now = new Date("2026-12-01T12:00:00Z");
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
const office: PassedPlace = { network: "203.0.113.0/24", country: "DE", lastPassedAt: daysAgo(3) };
const home6: PassedPlace = { network: "2001:db8:1::/48", country: "FR", lastPassedAt: daysAgo(29) };

const judge = (over: Partial<Parameters<typeof judgeFamiliarity>[0]>) =>
  judgeFamiliarity({ history: [office, home6], rememberedDevice: false, network: null, country: null, now, ...over });

describe("judgeFamiliarity (issue 11 risk-based prompt)", () => {
  it.each([
    ["same /24 and country, 3 days ago", { network: "203.0.113.0/24", country: "DE" }, true],
    ["same /48 and country, 29 days ago", { network: "2001:db8:1::/48", country: "FR" }, true],
    ["same network, other country", { network: "203.0.113.0/24", country: "AT" }, false],
    ["same country, other network", { network: "198.51.100.0/24", country: "DE" }, false],
    ["country of one row, network of another", { network: "2001:db8:1::/48", country: "DE" }, false],
    ["unknown country on a known network", { network: "203.0.113.0/24", country: null }, false],
    ["unknown network", { network: null, country: "DE" }, false],
    ["nothing known", {}, false],
  ])("%s → familiar: %s", (_name, input, familiar) => {
    expect(judge(input).familiar).toBe(familiar);
  });

  it("a remembered device is familiar wherever it is", () => {
    expect(judge({ rememberedDevice: true, network: "192.0.2.0/24", country: "BR" })).toEqual({
      familiar: true,
      because: "remembered-device",
    });
    expect(judge({ rememberedDevice: true })).toEqual({ familiar: true, because: "remembered-device" });
  });

  it("a pass older than 30 days no longer counts (boundary: exactly 30 days is out)", () => {
    const at = (d: number) => [{ ...office, lastPassedAt: daysAgo(d) }];
    const input = { network: office.network, country: "DE" };
    expect(judge({ ...input, history: at(FAMILIAR_WINDOW_DAYS - 0.001) }).familiar).toBe(true);
    expect(judge({ ...input, history: at(FAMILIAR_WINDOW_DAYS) }).familiar).toBe(false);
    expect(judge({ ...input, history: at(45) }).familiar).toBe(false);
  });

  it("a pass dated in the future (clock skew, forged row) does not count", () => {
    expect(
      judge({ network: office.network, country: "DE", history: [{ ...office, lastPassedAt: daysAgo(-1) }] }).familiar,
    ).toBe(false);
  });

  it("no history: nothing is familiar", () => {
    expect(judge({ history: [], network: office.network, country: "DE" }).familiar).toBe(false);
  });

  it("an unknown country never matches a history row whose country was unknown too", () => {
    const history = [{ network: "10.0.0.0/24", country: null, lastPassedAt: daysAgo(1) }];
    expect(judge({ history, network: "10.0.0.0/24", country: null }).familiar).toBe(false);
  });
});
