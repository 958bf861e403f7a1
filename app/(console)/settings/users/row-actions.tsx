"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import { ConfirmDialog } from "@/components/ui";
import { changeRoleAction, revokeInvitationAction } from "../../actions";
import { ConfirmAction } from "./_components/teammate-action-forms";

/**
 * Role picker for one teammate. Demotion to Member applies on selection; promotion to Administrator first opens a
 * confirmation that says what an administrator can do, and asks for the admin's step-up when the server wants one
 * (S42). Either way a status message confirms the change.
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
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const promote = useRef<HTMLDialogElement>(null);
  return (
    <div>
      <label className="sr-only" htmlFor={`role-${membershipId}`}>
        Role of {name}
      </label>
      <select
        key={role}
        id={`role-${membershipId}`}
        defaultValue={role}
        disabled={pending}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900 focus-visible:outline-2 focus-visible:outline-brand-600"
        onChange={(e) => {
          const next = e.target.value as "ADMIN" | "MEMBER";
          if (next === "ADMIN") {
            // Nothing changes until the confirmation: the select shows the current role meanwhile.
            e.target.value = role;
            setMessage(null);
            promote.current?.showModal();
            return;
          }
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
      <ConfirmAction
        dialogRef={promote}
        title={`Make ${name} an administrator?`}
        doneTitle={`${name} is now an administrator`}
        confirmLabel="Make administrator"
        body={
          <>
            <p>An administrator can:</p>
            <ul className="list-disc space-y-1 pl-5">
              <li>invite people and change teammates' roles;</li>
              <li>reset a teammate's two-factor authentication and send them new recovery codes;</li>
              <li>exempt teammates from the two-factor requirement;</li>
              <li>change or turn off the organization's security rules;</li>
              <li>read and export the audit log and the list of teammates.</li>
            </ul>
            <p>Administrators cannot change the owner. The change is recorded in the audit log under your name.</p>
          </>
        }
        run={() => changeRoleAction({ membershipId, role: "ADMIN" })}
        success={() => `${name} is now an administrator of the organization.`}
      />
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
