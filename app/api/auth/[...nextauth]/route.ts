import type { NextRequest } from "next/server";
import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";

// next-auth over HTTP: the SSO code flow, its session and CSRF endpoints, its sign-out. Sessions are issued by
// lib/auth/sign-in.ts, which also deletes the spent challenge cookie.
const handler = NextAuth(authOptions);

type Ctx = { params: Promise<{ nextauth: string[] }> };

export async function GET(req: NextRequest, ctx: Ctx) {
  return handler(req, ctx);
}

export async function POST(req: NextRequest, ctx: Ctx) {
  return handler(req, ctx);
}
