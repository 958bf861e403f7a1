import { env } from "./env";

// Every link the app builds, and the one check for redirect targets that come from input (S38).

/** The 2FA setup page: where the organization's requirement (rule S24, "set up 2FA before anything else") sends people. */
export const SETUP_PATH = "/profile/security/two-factor/setup";

/** An absolute link to a page of the app (for mail: a link in a mail must carry the origin). */
export const appUrl = (path: string) => `${env.NEXTAUTH_URL}${path}`;
export const signInUrl = () => appUrl("/sign-in");
export const invitationUrl = (token: string) => appUrl(`/invite/${token}`);
export const reEnrollUrl = (token: string) => appUrl(`/re-enroll/${token}`);
export const twoFactorSetupUrl = () => appUrl(SETUP_PATH);
export const FORGOT_PASSWORD_PATH = "/forgot-password";
export const passwordResetUrl = (token: string) => appUrl(`/reset-password/${token}`);

/** Where a person goes when the target they asked for cannot be honoured. */
export const DEFAULT_REDIRECT = "/dashboard";

/** Pages a redirect must never lead back into (loops, or next-auth's endpoints acting on the person's behalf). */
const BLOCKED_PREFIXES = ["/sign-in", "/api"];

const MAX_LENGTH = 2048;
/** C0 and C1 controls, DEL, and the Unicode line/paragraph separators: browsers strip or reinterpret them. */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x1f || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}
/** Percent-decoding rounds tried before a target counts as hostile (`%25252F…`). */
const DECODE_ROUNDS = 3;

function appOrigin(): string {
  return new URL(env.NEXTAUTH_URL).origin;
}

/** The target percent-decoded until stable, or null when it does not settle or is not valid percent-encoding. */
function fullyDecoded(value: string): string | null {
  let current = value;
  for (let i = 0; i < DECODE_ROUNDS; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return null;
    }
    if (next === current) return current;
    current = next;
  }
  return null;
}

/** True when the text, as written or as any browser or server might decode it, could leave the app's origin. */
function looksHostile(text: string): boolean {
  return hasControl(text) || text.includes("\\") || !text.startsWith("/") || text.startsWith("//");
}

/**
 * A redirect target that came from input (a `callbackUrl` query parameter, next-auth's callback-url cookie…) reduced
 * to a path on this app, or `fallback` (the dashboard). Only a path starting with a single "/" is accepted; it is
 * refused when it, or its percent-decoded forms, contain control characters or backslashes or start with "//"; it is
 * then parsed with the URL API against the app's origin (NEXTAUTH_URL) and must stay on exactly that origin, and must
 * not lead back into sign-in or the API. The answer is the normalized path, query and fragment of the parsed URL.
 */
export function safeRedirect(target: unknown, fallback: string = DEFAULT_REDIRECT): string {
  if (typeof target !== "string" || target.length === 0 || target.length > MAX_LENGTH) return fallback;
  const decoded = fullyDecoded(target);
  if (decoded === null || looksHostile(target) || looksHostile(decoded)) return fallback;
  let url: URL;
  try {
    url = new URL(target, appOrigin());
  } catch {
    return fallback;
  }
  if (url.origin !== appOrigin() || url.username || url.password) return fallback;
  const path = url.pathname;
  const lower = (fullyDecoded(path) ?? path).toLowerCase();
  if (looksHostile(path) || lower.includes("//") || lower.split("/").some((s) => s === "." || s === ".."))
    return fallback;
  if (BLOCKED_PREFIXES.some((p) => lower === p || lower.startsWith(`${p}/`))) return fallback;
  return `${path}${url.search}${url.hash}`;
}

/**
 * Like `safeRedirect`, for a target that may be absolute: next-auth keeps its callback URL absolute (its redirect
 * callback and callback-url cookie). Only an absolute URL on exactly the app's origin (no userinfo) gives its path to
 * `safeRedirect`; anything else is treated as a path.
 */
export function safeRedirectFromUrl(target: unknown, fallback: string = DEFAULT_REDIRECT): string {
  if (typeof target !== "string" || target.startsWith("/")) return safeRedirect(target, fallback);
  const origin = appOrigin();
  if (!target.startsWith(`${origin}/`) || hasControl(target) || target.includes("\\")) return fallback;
  return safeRedirect(target.slice(origin.length), fallback);
}
