"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { FormError } from "@/components/forms";
import { Spinner } from "@/components/ui";
import { completeSignIn } from "@/lib/auth/complete-sign-in";

/** Exchanges this browser's pending SSO sign-in for a session once, then continues to where the person was going. */
export function CompleteSso({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return; // once, also under React's development double effects
    started.current = true;
    void completeSignIn(callbackUrl).then((done) => {
      if (!done.ok) {
        setError(
          done.code === "CHALLENGE_EXPIRED"
            ? "Your sign-in took too long or was already used. Start again and choose single sign-on."
            : done.error,
        );
        return;
      }
      router.replace(callbackUrl);
      router.refresh();
    });
  }, [callbackUrl, router]);

  if (error) {
    return (
      <div className="space-y-4">
        <FormError message={error} />
        <p className="text-sm">
          <Link className="font-medium text-brand-700 underline-offset-4 hover:underline" href="/sign-in">
            Back to sign-in
          </Link>
        </p>
      </div>
    );
  }
  return (
    <p role="status" className="flex items-center gap-2 text-sm text-slate-700">
      <Spinner />
      Signing you in…
    </p>
  );
}
