"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { Alert } from "@/components/ui";

/**
 * S30: shown while this session signed in without a code (a trusted network, a remembered device, a familiar place) and
 * has not confirmed with one since. Not on the step-up page itself, which says the same.
 */
export function LowerAssuranceBanner({ how }: { how: string }) {
  const pathname = usePathname();
  if (pathname.startsWith("/profile/step-up")) return null;
  return (
    <div className="mb-6">
      <Alert variant="info" title="Signed in without a code">
        You signed in {how}. Security settings and administration ask for a code (from your app, by text message, or a
        recovery code) once in this session.{" "}
        <Link
          href={`/profile/step-up?callbackUrl=${encodeURIComponent(pathname)}`}
          className="font-medium underline underline-offset-4"
        >
          Confirm now
        </Link>
      </Alert>
    </div>
  );
}
