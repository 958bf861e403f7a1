"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { StepUpForm } from "../../_components/step-up-form";

/** The one step-up form; once the code is accepted, on to the page that asked for it. */
export function StepUpPanel({ next }: { next: string }) {
  const router = useRouter();
  return (
    <div className="space-y-4 text-sm text-slate-700">
      <StepUpForm
        onVerified={() => {
          router.replace(next);
          router.refresh();
        }}
      />
      <p>
        Not now?{" "}
        <Link href="/dashboard" className="font-medium text-brand-700 underline underline-offset-4">
          Back to the dashboard
        </Link>
      </p>
    </div>
  );
}
