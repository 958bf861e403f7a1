"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { ConfirmDialog } from "@/components/ui";
import { changeRoleAction, revokeInvitationAction } from "../../actions";

/** Role picker for one teammate; the change applies on selection and is confirmed by a status message. */
export function RoleSelect({
  membershipId,
  name,
  role,
}: {
  membershipId: string;
  name: string;
  role: "ADMIN" | "MEMBER";
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  return (
    <div>
      <label className="sr-only" htmlFor={`role-${membershipId}`}>
        Role of {name}
      </label>
      <select
        id={`role-${membershipId}`}
        defaultValue={role}
        disabled={pending}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900 focus-visible:outline-2 focus-visible:outline-brand-600"
        onChange={(e) => {
          const next = e.target.value as "ADMIN" | "MEMBER";
          start(async () => {
            const r = await changeRoleAction({ membershipId, role: next });
            setMessage(r.ok ? { kind: "ok", text: "Saved" } : { kind: "error", text: r.error });
            if (r.ok) router.refresh();
            else e.target.value = role;
          });
        }}
      >
        <option value="MEMBER">Member</option>
        <option value="ADMIN">Administrator</option>
      </select>
      <span
        aria-live="polite"
        className={`ml-2 text-xs ${message?.kind === "error" ? "text-red-700" : "text-emerald-700"}`}
      >
        {message?.text}
      </span>
    </div>
  );
}

export function RevokeInvitationButton({ invitationId, email }: { invitationId: string; email: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="text-right">
      <ConfirmDialog
        triggerLabel="Revoke"
        title="Revoke invitation?"
        body={`The link sent to ${email} will stop working. You can invite them again later.`}
        confirmLabel="Revoke invitation"
        variant="danger"
        onConfirm={async () => {
          const r = await revokeInvitationAction({ invitationId });
          if (!r.ok) setError(r.error);
          else router.refresh();
        }}
      />
      {error ? (
        <p role="alert" className="text-xs text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
