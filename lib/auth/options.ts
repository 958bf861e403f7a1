import { cookies } from "next/headers";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { authSecret, env, type OidcConfig } from "../env";
import { errorMessages, isDomainError } from "../errors";
import { loadActiveSession, signOutSession } from "../services/sessions";
import { CHALLENGE_COOKIE, completeSignIn } from "../services/sign-in";
import { ssoSignIn } from "../services/sso";
import { safeRedirectFromUrl } from "../urls";
import { setChallengeCookie } from "./challenge-cookie";
import { requestContext, requestContextFromHeaders } from "./request-context";

// next-auth only ever sees a completed challenge: the "challenge" provider takes no password. The password
// (and later the second factor) is checked by our own services first; the challenge token travels in an
// HttpOnly cookie set by the sign-in server action.

function readCookie(cookieHeader: string | undefined, name: string): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return null;
}

export const useSecureCookies = env.NEXTAUTH_URL.startsWith("https://");
export const sessionCookieName = `${useSecureCookies ? "__Secure-" : ""}next-auth.session-token`;
const callbackUrlCookieName = `${useSecureCookies ? "__Secure-" : ""}next-auth.callback-url`;

// SSO (docs/decisions/0007-sso.md) is another FIRST step ending in the same challenge: next-auth runs the OpenID
// Connect code flow (state + PKCE, ID token verified against the provider's keys), then our signIn callback hands the
// verified claims to lib/services/sso.ts, sets the challenge cookie exactly like the password step, and returns a
// redirect URL, so next-auth never issues a session for "oidc" itself. The session comes only from the "challenge"
// provider: at once on /sign-in/sso, or after the second factor on /sign-in/verify.

/** ID token claims used from the organization's OpenID Provider (scopes openid, email, profile). */
interface OidcClaims {
  sub: string;
  email?: string;
  email_verified?: boolean | string;
  name?: string;
}

function oidcProvider(oidc: OidcConfig): OAuthConfig<OidcClaims> {
  return {
    id: "oidc",
    name: oidc.displayName,
    type: "oauth",
    wellKnown: `${oidc.issuer}/.well-known/openid-configuration`,
    clientId: oidc.clientId,
    clientSecret: oidc.clientSecret,
    authorization: { params: { scope: "openid email profile" } },
    idToken: true,
    checks: ["pkce", "state"],
    profile: (claims) => ({ id: claims.sub, email: claims.email ?? null, name: claims.name ?? null }),
  };
}

/** Where the person wanted to go: next-auth's callback-url cookie (set by `signIn("oidc", { callbackUrl })`), reduced
 *  to a local path (no open redirect, S38). */
async function pendingCallbackUrl(): Promise<string> {
  return safeRedirectFromUrl((await cookies()).get(callbackUrlCookieName)?.value);
}

/** The signIn callback for "oidc": the SSO first step. Always returns a URL (never `true`: no next-auth session). */
async function ssoFirstStep(claims: Partial<OidcClaims> | undefined): Promise<string> {
  const callbackUrl = await pendingCallbackUrl();
  const back = (code: string) =>
    `/sign-in?error=${encodeURIComponent(code)}&callbackUrl=${encodeURIComponent(callbackUrl)}`;
  try {
    const { token, requirement } = await ssoSignIn(
      {
        email: typeof claims?.email === "string" ? claims.email : "",
        emailVerified: claims?.email_verified === true || claims?.email_verified === "true",
        name: typeof claims?.name === "string" ? claims.name : null,
        subject: typeof claims?.sub === "string" ? claims.sub : "",
      },
      await requestContext(),
    );
    // cookies().set in a route handler: Next merges it into next-auth's redirect response (app-route module).
    await setChallengeCookie(token);
    const next = requirement === "second-factor" ? "/sign-in/verify" : "/sign-in/sso";
    return `${next}?callbackUrl=${encodeURIComponent(callbackUrl)}`;
  } catch (e) {
    if (isDomainError(e)) return back(e.code);
    console.error("[sso] unexpected error:", e instanceof Error ? e.name : typeof e);
    return back("Callback");
  }
}

export const authOptions: NextAuthOptions = {
  secret: authSecret(),
  session: { strategy: "jwt", maxAge: env.SESSION_MAX_AGE_HOURS * 3600, updateAge: 0 },
  useSecureCookies,
  pages: { signIn: "/sign-in", error: "/sign-in" },
  providers: [
    CredentialsProvider({
      id: "challenge",
      name: "Twofold sign-in",
      credentials: { method: { type: "text" }, code: { type: "text" } },
      async authorize(credentials, req) {
        const headers = (req?.headers ?? {}) as Record<string, string | undefined>;
        const method = credentials?.method === "totp" || credentials?.method === "recovery" ? credentials.method : null;
        try {
          const done = await completeSignIn(
            {
              challengeToken: readCookie(headers.cookie, CHALLENGE_COOKIE),
              secondFactor: method ? { method, code: String(credentials?.code ?? "") } : null,
            },
            requestContextFromHeaders(headers),
          );
          return { id: done.userId, name: done.name, email: done.email, sessionId: done.sessionId };
        } catch (e) {
          // next-auth passes this message to the client (signIn() → result.error): "CODE|words for people".
          if (isDomainError(e)) throw new Error(`${e.code}|${e.fields?.code ?? e.message}`);
          // Anything else (a database error…) reaches the browser only as the generic message (S45).
          console.error("[sign-in] unexpected error:", e instanceof Error ? e.name : typeof e);
          throw new Error(`INTERNAL|${errorMessages.INTERNAL}`);
        }
      },
    }),
    ...(env.oidc ? [oidcProvider(env.oidc)] : []),
  ],
  events: {
    // next-auth's own POST /api/auth/signout (CSRF-checked before this runs) only clears the cookie: end the session
    // row too, so a copied cookie is refused afterwards (S43). The app's sign-out action revokes it the same way.
    async signOut({ token }) {
      const sid = typeof token?.sid === "string" ? token.sid : null;
      if (sid) await signOutSession(sid, await requestContext());
    },
  },
  callbacks: {
    // Every callbackUrl next-auth accepts (query, body, its callback-url cookie) becomes a path on this app (S38).
    async redirect({ url, baseUrl }) {
      return `${baseUrl}${safeRedirectFromUrl(url)}`;
    },
    async signIn({ account, profile }) {
      if (account?.provider === "oidc") return ssoFirstStep(profile as Partial<OidcClaims> | undefined);
      return account?.provider === "challenge";
    },
    async jwt({ token, user, trigger }) {
      if (trigger === "signIn" && user && "sessionId" in user) {
        return { sub: user.id, sid: String(user.sessionId) };
      }
      // Every later use re-checks the server-side session. Throwing clears the cookie (next-auth v4).
      const sid = typeof token.sid === "string" ? token.sid : null;
      if (!sid || !(await loadActiveSession(sid))) throw new Error("session-revoked");
      return { sub: token.sub, sid };
    },
    async session({ session }) {
      // Only what the browser needs; never factor state, never the session id.
      return {
        expires: session.expires,
        user: { name: session.user?.name ?? null, email: session.user?.email ?? null },
      };
    },
  },
};
