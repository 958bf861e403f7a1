import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { authSecret, env } from "../env";
import { isDomainError } from "../errors";
import { loadActiveSession } from "../services/sessions";
import { CHALLENGE_COOKIE, completeSignIn } from "../services/sign-in";
import { requestContextFromHeaders } from "./request-context";

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
          throw e;
        }
      },
    }),
  ],
  callbacks: {
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
