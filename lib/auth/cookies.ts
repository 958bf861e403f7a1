import { cookies } from "next/headers";
import { CHALLENGE_COOKIE, CHALLENGE_TTL_MS } from "../services/sign-in";
import { useSecureCookies } from "./options";

/** Binds a pending sign-in to this browser (S16): HttpOnly, same-site, short-lived. */
export async function setChallengeCookie(token: string): Promise<void> {
  (await cookies()).set(CHALLENGE_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: useSecureCookies,
    path: "/",
    maxAge: CHALLENGE_TTL_MS / 1000,
  });
}

export async function clearChallengeCookie(): Promise<void> {
  (await cookies()).delete(CHALLENGE_COOKIE);
}
