import { cookies } from "next/headers";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/guards";
import { CHALLENGE_COOKIE, describeChallenge } from "@/lib/services/sign-in";
import { safeRedirect } from "@/lib/urls";

// Shared by the pages that finish a pending sign-in (/sign-in/verify, /sign-in/sso): there is no session yet, only
// this browser's HttpOnly challenge cookie (S16). Someone already signed in goes straight on.

export async function pendingSignIn(searchParams: Promise<Record<string, string | undefined>>) {
  const params = await searchParams;
  const callbackUrl = safeRedirect(params.callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  const challenge = await describeChallenge((await cookies()).get(CHALLENGE_COOKIE)?.value);
  return { params, callbackUrl, challenge };
}

export function StartAgain() {
  return (
    <p>
      Not you or stuck?{" "}
      <Link className="font-medium text-brand-700 underline-offset-4 hover:underline" href="/sign-in">
        Start again
      </Link>
    </p>
  );
}
