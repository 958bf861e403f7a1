import Link from "next/link";
import { LockNote } from "./lock-note";
import { ROW_ACTIONS_MENU_ID, type TeammateLock } from "./row-action-target";

// The actions cell of one row of the Users table (drawn by TeammateRows) or of a dashboard list: a plain button that
// opens the one row-actions menu (TeammateActionsHost) for this teammate, with a "Locked" badge when sign-in is locked.
// Nothing is offered on the owner or on yourself. Short visible words (the cell sits in a wide table); the full reason
// for screen readers and on hover.

export function RowActionsCell(props: {
  membershipId: string;
  name: string;
  role: "OWNER" | "ADMIN" | "MEMBER";
  isSelf: boolean;
  lock: TeammateLock | null;
}) {
  if (props.isSelf)
    return (
      <Link
        href="/profile/security"
        className="text-xs font-medium text-brand-700 underline-offset-4 hover:underline"
        title="Your own two-factor settings are under Profile > Security."
      >
        Your security settings
      </Link>
    );
  if (props.role === "OWNER")
    return (
      <span className="text-xs text-slate-600" title="Nobody but the owner can change the owner's security settings.">
        {props.lock ? (
          <>
            <LockNote lock={props.lock} />{" "}
          </>
        ) : null}
        Protected
        <span className="sr-only"> (the owner): nobody but the owner can change the owner's security settings</span>
      </span>
    );
  return (
    <>
      {props.lock ? <LockNote lock={props.lock} /> : null}
      <button
        type="button"
        data-row-actions={props.membershipId}
        popoverTarget={ROW_ACTIONS_MENU_ID}
        className="row-actions-button"
      >
        2FA actions<span className="sr-only"> for {props.name}</span>
      </button>
    </>
  );
}
