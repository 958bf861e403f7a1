import { redirect } from "next/navigation";
import type { NextRequest } from "next/server";
import { getCurrentUser } from "@/lib/auth/guards";
import { requestContext } from "@/lib/auth/request-context";
import { finishSignIn } from "@/lib/auth/sign-in";
import { isDomainError } from "@/lib/errors";
import { safeRedirect } from "@/lib/urls";

// Where the SSO first step lands (lib/auth/options.ts): the identity provider said who this is and this browser holds
// the pending sign-in (S16: no session before every factor passed). Finished here, on the server, then on to where
// the person was going; a challenge that still needs a second factor goes to /sign-in/verify.
export async function GET(request: NextRequest): Promise<never> {
  const callbackUrl = safeRedirect(request.nextUrl.searchParams.get("callbackUrl"));
  const back = (code: string) =>
    `/sign-in?error=${encodeURIComponent(code)}&callbackUrl=${encodeURIComponent(callbackUrl)}`;
  if (await getCurrentUser()) redirect(callbackUrl);
  let next = callbackUrl;
  try {
    await finishSignIn(null, await requestContext());
  } catch (e) {
    if (isDomainError(e, "UNAUTHENTICATED")) next = `/sign-in/verify?callbackUrl=${encodeURIComponent(callbackUrl)}`;
    else if (isDomainError(e, "CHALLENGE_EXPIRED")) next = back("SSO_SIGN_IN_EXPIRED");
    else {
      console.error("[sso] could not finish sign-in:", e instanceof Error ? e.name : typeof e);
      next = back("Callback");
    }
  }
  redirect(next);
}
