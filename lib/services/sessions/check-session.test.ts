import { describe, expect, it } from "vitest";
import { checkSession } from "./active-session";

const now = new Date("2026-01-01T12:00:00Z");
const minutes = (m: number) => new Date(now.getTime() + m * 60_000);

describe("checkSession (S21, S22)", () => {
  it("accepts a fresh session", () => {
    expect(checkSession({ revokedAt: null, expiresAt: minutes(60), lastSeenAt: minutes(-1) }, now, 120)).toBe("valid");
  });
  it("refuses a revoked session", () => {
    expect(checkSession({ revokedAt: minutes(-5), expiresAt: minutes(60), lastSeenAt: minutes(-1) }, now, 120)).toBe(
      "revoked",
    );
  });
  it("enforces the absolute lifetime even for an active user", () => {
    expect(checkSession({ revokedAt: null, expiresAt: now, lastSeenAt: now }, now, 120)).toBe("expired");
  });
  it("enforces the idle timeout", () => {
    expect(checkSession({ revokedAt: null, expiresAt: minutes(600), lastSeenAt: minutes(-121) }, now, 120)).toBe(
      "idle",
    );
    expect(checkSession({ revokedAt: null, expiresAt: minutes(600), lastSeenAt: minutes(-119) }, now, 120)).toBe(
      "valid",
    );
  });
  it("treats a missing row as signed out", () => {
    expect(checkSession(null, now)).toBe("missing");
  });
});
