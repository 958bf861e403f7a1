"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui";
import { startEnrollmentAction } from "./actions";

/** Creates a fresh pending secret (valid 10 minutes) and opens the setup page. */
export function StartEnrollmentButton({
  label,
  variant = "primary",
}: {
  label: string;
  variant?: "primary" | "secondary";
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <div>
      <Button
        variant={variant}
        disabled={pending}
        aria-busy={pending}
        onClick={() =>
          start(async () => {
            const r = await startEnrollmentAction({});
            if (!r.ok) return setError(r.error);
            router.push("/profile/security/two-factor/setup");
            router.refresh();
          })
        }
      >
        {pending ? "Preparing…" : label}
      </Button>
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
