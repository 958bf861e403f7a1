import { cookies } from "next/headers";
import type { NextResponse } from "next/server";
import { env } from "../env";
import { normalizeTimeZone, TIME_ZONE_COOKIE } from "../format/dates";

// Every cookie Twofold reads or writes, by name, in one place (a leaf: it imports nothing from lib/auth or
// lib/services). The organization cookie of the guards is not here yet (it is read, never written: issue 14 item 2).

/** Secure cookies (and their `__Secure-` names) whenever the app is served over HTTPS. */
export const useSecureCookies = env.NEXTAUTH_URL.startsWith("https://");
const securePrefix = useSecureCookies ? "__Secure-" : "";

/** next-auth's session JWT; it carries only the session id, the Session row decides (S21: sessions are revocable). */
export const SESSION_COOKIE = `${securePrefix}next-auth.session-token`;
/** next-auth's "where to go after sign-in", written by `signIn("oidc", { callbackUrl })` in the browser. */
export const CALLBACK_URL_COOKIE = `${securePrefix}next-auth.callback-url`;
/** This browser's pending sign-in (S16: no session before every factor passed): the raw challenge token. */
export const CHALLENGE_COOKIE = "twofold-challenge";
/** Issue 11 (S32): "remember this device" — 32 random bytes; only their sha256 is stored (RememberedDevice). */
export const REMEMBERED_DEVICE_COOKIE = `${securePrefix}twofold-device`;

/** The pending sign-in of this browser, if any. */
export async function readChallengeCookie(): Promise<string | null> {
  return (await cookies()).get(CHALLENGE_COOKIE)?.value ?? null;
}

/** Binds a pending sign-in to this browser: HttpOnly, same-site, as short-lived as the challenge. */
export async function setChallengeCookie(token: string, maxAgeSeconds: number): Promise<void> {
  (await cookies()).set(CHALLENGE_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: useSecureCookies,
    path: "/",
    maxAge: maxAgeSeconds,
  });
}

/** A challenge that became a session is spent: its cookie goes with the response that sets the session (S19). */
export async function clearChallengeCookie(): Promise<void> {
  (await cookies()).delete(CHALLENGE_COOKIE);
}

/** This browser's remembered-device token, if any (checked against its stored hash at the password step). */
export async function readRememberedDeviceCookie(): Promise<string | null> {
  return (await cookies()).get(REMEMBERED_DEVICE_COOKIE)?.value ?? null;
}

/** S32: HttpOnly (no script reads it), SameSite=Lax, Secure whenever the app is on HTTPS, until the device expires. */
export async function setRememberedDeviceCookie(token: string, expiresAt: Date): Promise<void> {
  (await cookies()).set(REMEMBERED_DEVICE_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: useSecureCookies,
    path: "/",
    expires: expiresAt,
  });
}

/** The raw session JWT of this request, if any (decoded by the guards). */
export async function readSessionCookie(): Promise<string | null> {
  return (await cookies()).get(SESSION_COOKIE)?.value ?? null;
}

/** A cookie as next-auth set it: name, value and its own attributes. */
export type IssuedCookie = ReturnType<NextResponse["cookies"]["getAll"]>[number];

/** Hands the browser the session cookie(s) next-auth issued. */
export async function setSessionCookies(issued: IssuedCookie[]): Promise<void> {
  const jar = await cookies();
  for (const cookie of issued) jar.set(cookie);
}

export function isSessionCookie(name: string): boolean {
  return name === SESSION_COOKIE || name.startsWith(`${SESSION_COOKIE}.`); // next-auth chunks long JWTs as .0, .1…
}

export async function clearSessionCookie(): Promise<void> {
  (await cookies()).delete(SESSION_COOKIE);
}

/** Where the person wanted to go when they chose single sign-on (next-auth's callback-url cookie), unchecked. */
export async function readCallbackUrlCookie(): Promise<string | undefined> {
  return (await cookies()).get(CALLBACK_URL_COOKIE)?.value;
}

/** The browser's IANA time zone, which it states itself (components/shell/time-zone-sync.tsx writes it: not HttpOnly,
 *  not a secret, only used to show times; docs/decisions/0012-time-zones.md). Validated; UTC when missing. */
export { TIME_ZONE_COOKIE } from "../format/dates";

export async function readTimeZoneCookie(): Promise<string> {
  return normalizeTimeZone((await cookies()).get(TIME_ZONE_COOKIE)?.value);
}
