import type { NextRequest } from "next/server";
import NextAuth from "next-auth";
import { authOptions, sessionCookieName } from "@/lib/auth/options";
import { CHALLENGE_COOKIE } from "@/lib/services/sign-in";

const handler = NextAuth(authOptions);

type Ctx = { params: Promise<{ nextauth: string[] }> };

export async function GET(req: NextRequest, ctx: Ctx) {
  return handler(req, ctx);
}

// Once the challenge became a session it is spent: delete its cookie with the response (S19). A wrong code keeps
// it, so the person can try again within the challenge's five minutes.
export async function POST(req: NextRequest, ctx: Ctx) {
  const response: Response = await handler(req, ctx);
  const { nextauth } = await ctx.params;
  const sessionIssued = response.headers
    .getSetCookie()
    .some((c) => c.startsWith(`${sessionCookieName}=`) && !c.startsWith(`${sessionCookieName}=;`));
  if (nextauth[0] === "callback" && sessionIssued) {
    response.headers.append("Set-Cookie", `${CHALLENGE_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`);
  }
  return response;
}
