"use client";

import { signIn } from "next-auth/react";

export type CompleteSignInResult = { ok: true } | { ok: false; code: string; error: string };

/**
 * Second half of every sign-in: next-auth exchanges the pending challenge (HttpOnly cookie) — and the second-factor
 * code when one is required — for a session. Errors arrive as "CODE|message" (see lib/auth/options.ts).
 */
export async function completeSignIn(
  callbackUrl: string,
  secondFactor?: { method: "totp" | "recovery"; code: string },
): Promise<CompleteSignInResult> {
  const result = await signIn("challenge", { redirect: false, callbackUrl, ...(secondFactor ?? {}) });
  if (result?.ok && !result.error) return { ok: true };
  const [code, ...rest] = (result?.error ?? "").split("|");
  const message = rest.join("|");
  if (code && message) return { ok: false, code, error: message };
  return {
    ok: false,
    code: "CHALLENGE_EXPIRED",
    error: "Your sign-in could not be completed. Please enter your password again.",
  };
}
