import type { NextApiRequest, NextApiResponse } from "next";
import { NextResponse } from "next/server";
import NextAuth, { type NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { DomainError } from "../errors";
import type { RequestContext } from "../services/audit/audit-log";
import { CHALLENGE_TTL_MS, type ChallengeRequirement } from "../services/sign-in/challenge";
import { type CompletedSignIn, completeSignIn } from "../services/sign-in/complete-sign-in";
import type { SecondFactorInput } from "../services/two-factor/factor-types";
import {
  clearChallengeCookie,
  type IssuedCookie,
  isSessionCookie,
  readChallengeCookie,
  setChallengeCookie,
  setRememberedDeviceCookie,
  setSessionCookies,
} from "./cookies";
import { authOptions } from "./options";

// Sign-in, top to bottom. No session exists until every required factor has passed (S16); the in-between state is a
// pending challenge (a SignInChallenge row) whose random token only this browser holds, in an HttpOnly cookie.
//
// 1. A first step proves who this is and creates the challenge: the password (signInAction), a new account
//    (signUpAction), an accepted invitation, a re-enrollment link — server actions in app/(auth) — or single sign-on
//    (next-auth's OpenID Connect flow, whose signIn callback in ./options.ts calls lib/services/sign-in/sso-sign-in).
// 2. `continueSignIn` takes it from there. A challenge that needs nothing more becomes a session in the same request;
//    one that needs a second factor is bound to this browser (challenge cookie) and the person goes to /sign-in/verify.
// 3. `finishSignIn` completes the pending sign-in of this browser: with the second-factor code (verifySignInAction)
//    or without (/sign-in/sso, right after single sign-on).
// 4. `issueSession` is the one place a session is made: next-auth's "challenge" credentials provider, run in-process,
//    whose authorize consumes the challenge (and the code) through lib/services/sign-in/complete-sign-in.ts; next-auth
//    puts the new session's id into its JWT cookie (./options.ts, jwt callback), and the spent challenge's cookie is
//    deleted with the same response (S19).
// Every refusal is a DomainError, so a server action answers with an ActionResult (lib/actions/action-client.ts) and a
// route handler with a redirect: there is no other result protocol.

/** Step 2: right after a first step passed. Returns what is still required of the person. */
export async function continueSignIn(
  pending: { challengeToken: string; requirement: ChallengeRequirement },
  context: RequestContext,
): Promise<ChallengeRequirement> {
  if (pending.requirement === "none") {
    await issueSession(pending.challengeToken, null, context);
    return "none";
  }
  await setChallengeCookie(pending.challengeToken, CHALLENGE_TTL_MS / 1000);
  return pending.requirement;
}

/** Step 3: completes this browser's pending sign-in. CHALLENGE_EXPIRED when there is none (or it expired). */
export async function finishSignIn(
  secondFactor: SecondFactorInput | null,
  context: RequestContext,
  /** Issue 11: "remember this device" was ticked on the second step. */
  { rememberDevice = false }: { rememberDevice?: boolean } = {},
): Promise<CompletedSignIn> {
  const challengeToken = await readChallengeCookie();
  if (!challengeToken) throw new DomainError("CHALLENGE_EXPIRED");
  return issueSession(challengeToken, secondFactor, context, rememberDevice);
}

/**
 * Step 4: next-auth issues the session. next-auth 4 has no server-side signIn(), so its own API-route entry
 * (`NextAuth(req, res, options)`) runs here in-process, the way its getServerSession does: first its CSRF endpoint,
 * then the callback of the "challenge" provider with that token. The provider exists only for this call, so its
 * authorize can hand the service's DomainError back to us unchanged instead of through next-auth's error redirect.
 */
async function issueSession(
  challengeToken: string,
  secondFactor: SecondFactorInput | null,
  context: RequestContext,
  rememberDevice = false,
): Promise<CompletedSignIn> {
  let failure: unknown = null;
  let completed: CompletedSignIn | null = null;
  const options: NextAuthOptions = {
    ...authOptions,
    providers: [
      CredentialsProvider({
        id: "challenge",
        name: "Twofold sign-in",
        credentials: {},
        async authorize() {
          try {
            completed = await completeSignIn({ input: { challengeToken, secondFactor, rememberDevice }, context });
            const { userId, name, email, sessionId } = completed;
            return { id: userId, name, email, sessionId };
          } catch (e) {
            failure = e;
            return null;
          }
        },
      }),
    ],
  };

  const csrf = await callNextAuth(options, "GET", ["csrf"], {}, {});
  const csrfToken = (csrf.body as { csrfToken?: string } | undefined)?.csrfToken ?? "";
  const csrfCookies = Object.fromEntries(csrf.cookies.map((c) => [c.name, c.value]));
  const callback = await callNextAuth(options, "POST", ["callback", "challenge"], { csrfToken }, csrfCookies);
  if (failure) throw failure;
  const issued = callback.cookies.filter((c) => isSessionCookie(c.name) && c.value);
  if (!completed || issued.length === 0) throw new Error(`next-auth issued no session (status ${callback.status})`);
  await setSessionCookies(issued);
  await clearChallengeCookie();
  const remembered = (completed as CompletedSignIn).rememberedDevice;
  if (remembered) await setRememberedDeviceCookie(remembered.token, remembered.expiresAt);
  return completed;
}

/** One request to next-auth's API-route handler, answered in memory: status, body and the cookies it set. */
async function callNextAuth(
  options: NextAuthOptions,
  method: "GET" | "POST",
  path: string[],
  body: Record<string, string>,
  cookies: Record<string, string>,
): Promise<{ status: number; body: unknown; cookies: IssuedCookie[] }> {
  let status = 200;
  let sent: unknown;
  let setCookie: string[] = [];
  const res = {
    getHeader: (name: string) => (name.toLowerCase() === "set-cookie" ? setCookie : undefined),
    setHeader(name: string, value: string | string[]) {
      if (name.toLowerCase() === "set-cookie") setCookie = [value].flat();
      return res;
    },
    status(code: number) {
      status = code;
      return res;
    },
    send(payload: unknown) {
      sent = payload;
      return res;
    },
    json(payload: unknown) {
      sent = payload;
      return res;
    },
    end: () => res,
  };
  const req = { method, query: { nextauth: path }, body: { ...body, json: "true" }, cookies, headers: {} };
  await NextAuth(req as unknown as NextApiRequest, res as unknown as NextApiResponse, options);
  // next-auth serialized its cookies; NextResponse parses them back into name, value and attributes.
  const parsed = new NextResponse(null, { headers: setCookie.map((c): [string, string] => ["set-cookie", c]) });
  return { status, body: sent, cookies: parsed.cookies.getAll() };
}
