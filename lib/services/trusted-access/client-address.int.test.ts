// S29 end to end, against a real PostgreSQL: the request's headers as our HTTP server hands them over (the socket
// address in x-twofold-socket-ip, which scripts/server.ts sets and strips from the client's request, and the client's
// own X-Forwarded-For) → requestContextFromHeaders (with TRUSTED_PROXIES read from the environment, as in production)
// → the password step → the skip decision on the challenge. A spoofed X-Forwarded-For never reaches the allowlist.
import { afterAll, describe, expect, it } from "vitest";
import { addMember, createOrgWithOwner, ctx, PASSWORD, withTwoFactor } from "@/test/factories";
import { requestContextFromHeaders } from "../../auth/request-context";
import { db } from "../../db";
import { validateEnv } from "../../env";
import { SOCKET_IP_HEADER } from "../../net/client-ip";
import { passwordStep } from "../sign-in/password-step";
import { addTrustedNetwork } from "./trusted-networks";

const OFFICE = "203.0.113.0/24";
const originalProxies = process.env.TRUSTED_PROXIES;

/** Reconfigures TRUSTED_PROXIES the way a deployment does: the environment, validated by lib/env.ts. */
function configureProxies(value: string | undefined) {
  if (value === undefined) delete process.env.TRUSTED_PROXIES;
  else process.env.TRUSTED_PROXIES = value;
  validateEnv("test");
}
afterAll(() => configureProxies(originalProxies));

async function world() {
  const owner = await withTwoFactor(await createOrgWithOwner({ plan: "PROFESSIONAL" }));
  const member = await withTwoFactor(await addMember(owner.actor, { name: "Max Member" }));
  await addTrustedNetwork({
    actor: { ...owner.actor, sessionId: owner.sessionId },
    input: { cidr: OFFICE, label: "Office" },
    context: ctx,
  });
  return { member };
}

/** One sign-in request: its socket peer and X-Forwarded-For → the client address seen, and whether the code is skipped. */
async function signInFrom(email: string, socket: string, forwardedFor?: string) {
  const headers = new Headers({ [SOCKET_IP_HEADER]: socket, "user-agent": "vitest" });
  if (forwardedFor !== undefined) headers.set("x-forwarded-for", forwardedFor);
  const context = requestContextFromHeaders(headers);
  const { requirement } = await passwordStep({ input: { email, password: PASSWORD }, context });
  const challenge = await db.signInChallenge.findFirstOrThrow({
    where: { user: { email } },
    orderBy: { createdAt: "desc" },
  });
  return { ip: context.ip, skipped: challenge.skipReason === "trusted-network", requirement };
}

describe("S29: the trusted-network match follows the real client address", () => {
  it("without TRUSTED_PROXIES: the socket address decides; X-Forwarded-For is ignored whatever it says", async () => {
    configureProxies(undefined);
    const { member } = await world();
    const cases: Array<[string, string | undefined, string, boolean]> = [
      ["203.0.113.9", undefined, "203.0.113.9", true], // in the office
      ["::ffff:203.0.113.9", undefined, "203.0.113.9", true], // the same, through an IPv6 socket
      ["198.51.100.4", undefined, "198.51.100.4", false], // at home
      ["198.51.100.4", "203.0.113.9", "198.51.100.4", false], // at home, claiming the office
      ["198.51.100.4", "203.0.113.9, 203.0.113.10", "198.51.100.4", false],
      ["203.0.113.9", "198.51.100.4", "203.0.113.9", true], // the header cannot take the office away either
    ];
    for (const [socket, xff, ip, skipped] of cases) {
      const r = await signInFrom(member.email, socket, xff);
      expect({ socket, xff, ip: r.ip, skipped: r.skipped }).toEqual({ socket, xff, ip, skipped });
      expect(r.requirement).toBe(skipped ? "none" : "second-factor");
    }
  });

  it("with TRUSTED_PROXIES: X-Forwarded-For only across the configured proxies, right-most untrusted hop", async () => {
    configureProxies("10.0.0.0/8, fd00:aa::/32");
    const { member } = await world();
    const cases: Array<[string, string | undefined, string, boolean]> = [
      ["10.0.0.2", "203.0.113.9", "203.0.113.9", true], // through the load balancer from the office
      ["fd00:aa::2", "203.0.113.9", "203.0.113.9", true], // an IPv6 proxy
      ["10.0.0.2", "198.51.100.4", "198.51.100.4", false], // through the load balancer from home
      ["10.0.0.2", undefined, "10.0.0.2", false], // the proxy itself, no header
      // A spoofed left-most entry: the client wrote "203.0.113.9", the proxy appended the real address.
      ["10.0.0.2", "203.0.113.9, 198.51.100.4", "198.51.100.4", false],
      // Several proxies: hops that are trusted proxies are skipped from the right; the first other one is the client.
      ["10.0.0.2", "198.51.100.4, 203.0.113.9, 10.1.1.1, 10.2.2.2", "203.0.113.9", true],
      ["10.0.0.2", "203.0.113.9, 198.51.100.4, 10.1.1.1", "198.51.100.4", false],
      // A malformed hop stops the walk: nothing left of it is believed (the proxy's own address is used).
      ["10.0.0.2", "203.0.113.9, not-an-ip", "10.0.0.2", false],
      ["10.0.0.2", "203.0.113.9, ", "203.0.113.9", true], // an empty hop is no hop
      // Not from a configured proxy: the header is the client's own words and is ignored.
      ["198.51.100.4", "203.0.113.9", "198.51.100.4", false],
      ["198.51.100.4", "10.0.0.2, 203.0.113.9", "198.51.100.4", false],
      ["203.0.113.9", "198.51.100.4", "203.0.113.9", true],
    ];
    for (const [socket, xff, ip, skipped] of cases) {
      const r = await signInFrom(member.email, socket, xff);
      expect({ socket, xff, ip: r.ip, skipped: r.skipped }).toEqual({ socket, xff, ip, skipped });
    }
  });
});
