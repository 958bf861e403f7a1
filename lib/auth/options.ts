import type { NextAuthOptions } from "next-auth";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { authSecret, env, type OidcConfig } from "../env";
import { isDomainError } from "../errors";
import { loadActiveSession } from "../services/sessions/active-session";
import { signOutSession } from "../services/sessions/sign-out-session";
import { CHALLENGE_TTL_MS } from "../services/sign-in/challenge";
import { ssoSignIn } from "../services/sign-in/sso-sign-in";
import { safeRedirectFromUrl } from "../urls";
import { readCallbackUrlCookie, setChallengeCookie, useSecureCookies } from "./cookies";
import { requestContext } from "./request-context";

// next-auth's configuration. next-auth issues every session (a JWT holding only the Session row's id) through its
// "challenge" credentials provider, which lib/auth/sign-in.ts runs in-process once a pending sign-in is complete; it
// is not registered here, so no HTTP request reaches it. Over HTTP next-auth serves the SSO code flow, its session
// endpoint and its sign-out.

// SSO (docs/decisions/0007-sso.md) is another FIRST step ending in the same challenge: next-auth runs the OpenID
// Connect code flow (state + PKCE, ID token verified against the provider's keys), then our signIn callback hands the
// verified claims to lib/services/sign-in/sso-sign-in.ts, sets the challenge cookie exactly like the password step,
// and returns a redirect URL, so next-auth never issues a session for "oidc" itself. The session comes only from the
// "challenge" provider (lib/auth/sign-in.ts): at once on /sign-in/sso (a route handler), or after the second factor
// on /sign-in/verify.

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
 *  to a local path (S38: redirect targets are same-origin paths). */
async function pendingCallbackUrl(): Promise<string> {
  return safeRedirectFromUrl(await readCallbackUrlCookie());
}

/** The signIn callback for "oidc": the SSO first step. Always returns a URL (never `true`: no next-auth session). */
async function ssoFirstStep(claims: Partial<OidcClaims> | undefined): Promise<string> {
  const callbackUrl = await pendingCallbackUrl();
  const back = (code: string) =>
    `/sign-in?error=${encodeURIComponent(code)}&callbackUrl=${encodeURIComponent(callbackUrl)}`;
  try {
    const { token, requirement } = await ssoSignIn({
      input: {
        email: typeof claims?.email === "string" ? claims.email : "",
        emailVerified: claims?.email_verified === true || claims?.email_verified === "true",
        name: typeof claims?.name === "string" ? claims.name : null,
        subject: typeof claims?.sub === "string" ? claims.sub : "",
      },
      context: await requestContext(),
    });
    // cookies().set in a route handler: Next merges it into next-auth's redirect response (app-route module).
    await setChallengeCookie(token, CHALLENGE_TTL_MS / 1000);
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
  providers: [...(env.oidc ? [oidcProvider(env.oidc)] : [])],
  events: {
    // next-auth's own POST /api/auth/signout (CSRF-checked before this runs) only clears the cookie: end the session
    // row too, so a copied cookie is refused afterwards (S43: every sign-out path ends the server session). The app's
    // sign-out action revokes it the same way.
    async signOut({ token }) {
      const sid = typeof token?.sid === "string" ? token.sid : null;
      if (sid) await signOutSession({ input: { sessionId: sid }, context: await requestContext() });
    },
  },
  callbacks: {
    // Every callbackUrl next-auth accepts (query, body, its callback-url cookie) becomes a path on this app (S38:
    // redirect targets are same-origin paths).
    async redirect({ url, baseUrl }) {
      return `${baseUrl}${safeRedirectFromUrl(url)}`;
    },
    async signIn({ account, profile }) {
      if (account?.provider === "oidc") return ssoFirstStep(profile as Partial<OidcClaims> | undefined);
      return account?.provider === "challenge"; // the in-process provider of lib/auth/sign-in.ts
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
