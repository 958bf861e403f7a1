"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ConfirmDialog } from "@/components/ui";
import { signOutOtherSessionsAction } from "../../actions";

export function SignOutOthersButton({ count }: { count: number }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="text-right">
      <ConfirmDialog
        triggerLabel="Sign out all other sessions"
        title="Sign out all other sessions?"
        body={`${count} other ${count === 1 ? "session" : "sessions"} will be signed out at once. This device stays signed in.`}
        confirmLabel="Sign out other sessions"
        variant="danger"
        onConfirm={async () => {
          const r = await signOutOtherSessionsAction({});
          if (!r.ok) setError(r.error);
          else router.refresh();
        }}
      />
      {error ? (
        <p role="alert" className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
