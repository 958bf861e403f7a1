import { createHash } from "node:crypto";
import { networkOf } from "../../net/network";
import type { RequestContext } from "../audit/audit-log";

// Issue 10, item 8 (S7 refined): a code used again is reported to the person as a possible interception, unless the
// second use comes within 30 seconds from the same browser (same user agent) on the same network (IP /24 or /48):
// that is a person signing in twice or submitting twice, who only needs to wait for the next code. The client is
// stored as a hash, never as the raw user agent and address.

export const SAME_CLIENT_WINDOW_MS = 30_000;

/** A stable hash of (user agent, network); null when the request carries neither. */
export function clientFingerprint(context: RequestContext): string | null {
  const userAgent = context.userAgent?.trim() ?? "";
  const network = networkOf(context.ip) ?? "";
  if (!userAgent && !network) return null;
  return createHash("sha256").update(`${userAgent}\n${network}`).digest("base64url").slice(0, 32);
}

/** Whether a reuse at `now` is the same person's double submit: same client as the last accepted use, within 30 s. */
export function isSameClientReuse(
  last: { lastUsedAt: Date | null; lastUsedClient: string | null } | null,
  context: RequestContext,
  now: Date,
): boolean {
  if (!last?.lastUsedAt || !last.lastUsedClient) return false;
  if (now.getTime() - last.lastUsedAt.getTime() > SAME_CLIENT_WINDOW_MS) return false;
  return last.lastUsedClient === clientFingerprint(context);
}
