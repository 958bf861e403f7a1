"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { ConfirmDialog } from "@/components/ui";
import { changeRoleAction, revokeInvitationAction } from "../../actions";
import { useConfirmPromotion } from "./_components/teammate-actions";

/**
 * Role picker for one teammate (drawn by TeammateRows, the one client component of the table's rows). Demotion to Member
 * applies on selection; promotion to Administrator first opens the table's one confirmation, which says what an
 * administrator can do and asks for the admin's step-up when the server wants one (S42: a change that widens access
 * needs the admin's fresh second factor). Either way a status message confirms the change.
 */
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
  const confirmPromotion = useConfirmPromotion();
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  return (
    <>
      <select
        key={role}
        aria-label={`Role of ${name}`}
        defaultValue={role}
        disabled={pending}
        className="role-select"
        onChange={(e) => {
          const select = e.target;
          const next = select.value as "ADMIN" | "MEMBER";
          if (next === "ADMIN") {
            // Nothing changes until the confirmation: the select shows the current role meanwhile.
            select.value = role;
            setMessage(null);
            confirmPromotion({ membershipId, name }, select);
            return;
          }
          start(async () => {
            const r = await changeRoleAction({ membershipId, role: next });
            setMessage(r.ok ? { kind: "ok", text: "Saved" } : { kind: "error", text: r.error });
            if (r.ok) router.refresh();
            else select.value = role;
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
    </>
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
