"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";
import { Button, Spinner } from "@/components/ui";

/**
 * Starts the OpenID Connect code flow at the organization's identity provider (next-auth, state + PKCE).
 * Labelled "Continue with …", not "Sign in with …": the password form's button is "Sign in", and a second button
 * whose name contains it would make `getByRole("button", { name: "Sign in" })` (and people) hesitate.
 */
export function SsoButton({ name, callbackUrl }: { name: string; callbackUrl: string }) {
  const [pending, setPending] = useState(false);
  const [failed, setFailed] = useState(false);
  return (
    <div className="space-y-2">
      <Button
        variant="secondary"
        className="w-full"
        disabled={pending}
        aria-busy={pending || undefined}
        // Keeps focus in the password form on a pointer press: otherwise the email field's on-blur validation
        // ("Enter your email address.") appears above this button, moves it out from under the pointer and the
        // click is lost. Keyboard users still reach and press the button as usual.
        onMouseDown={(e) => e.preventDefault()}
        onClick={() => {
          setPending(true);
          setFailed(false);
          // On success the browser leaves for the identity provider; it only resolves here when it could not start.
          signIn("oidc", { callbackUrl }).catch(() => {
            setPending(false);
            setFailed(true);
          });
        }}
      >
        {pending ? <Spinner /> : null}
        Continue with {name}
      </Button>
      {failed ? (
        <p className="text-sm text-red-700" role="alert">
          Single sign-on could not be started. Check your connection and try again.
        </p>
      ) : null}
    </div>
  );
}
