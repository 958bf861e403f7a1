"use client";

import { useEffect } from "react";
import { Button, ButtonLink } from "@/components/ui";

/**
 * Unexpected errors. Shows no message or stack (server errors may hold details a visitor must not see), only
 * the digest that matches the server log line.
 */
export default function ErrorPage({ error, retry, reset }: { error: unknown; retry?: () => void; reset?: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest =
    error && typeof error === "object" && "digest" in error && typeof error.digest === "string" ? error.digest : null;
  return (
    <main
      id="main"
      tabIndex={-1}
      className="mx-auto flex min-h-[70vh] max-w-lg flex-col items-center justify-center gap-4 px-6 text-center focus:outline-hidden"
    >
      <p className="text-sm font-semibold text-red-700">Error</p>
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Something went wrong</h1>
      <p className="text-slate-700">
        We could not complete that request. Try again in a moment; if it keeps happening, contact your administrator and
        mention the reference below.
      </p>
      {digest ? (
        <p className="text-xs text-slate-600">
          Reference: <code className="font-mono">{digest}</code>
        </p>
      ) : null}
      <div className="mt-2 flex flex-wrap justify-center gap-3">
        <Button onClick={() => (retry ?? reset)?.()}>Try again</Button>
        <ButtonLink href="/dashboard" variant="secondary">
          Go to the dashboard
        </ButtonLink>
      </div>
    </main>
  );
}
