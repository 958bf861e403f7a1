import type { ReactNode } from "react";
import { formatDay, UTC } from "@/lib/format/dates";
import { deadlineIn } from "@/lib/format/deadline";

// The 2FA cell: an icon and words (never colour alone).

export interface TwoFactorCell {
  twoFactor: "enabled" | "not-set-up" | "exempt-sso" | "exempt-until";
  twoFactorMethod: string | null;
  exemptUntil: Date | null;
  /** The organization's grace deadline, for a member who has not set up 2FA yet (issue 4). */
  deadline?: Date | null;
}

// The icons are drawn once per table (TwoFactorIcons) and each row's cell refers to one (<use>): 50 rows carry a short
// reference each instead of a copy of the drawing.
const icons: Record<TwoFactorCell["twoFactor"], ReactNode> = {
  enabled: <path d="M10 2.75 4 5v4.5c0 3.6 2.5 6.6 6 7.75 3.5-1.15 6-4.15 6-7.75V5zM7.25 10l2 2 3.5-4" />,
  "not-set-up": (
    <>
      <circle cx="10" cy="10" r="7.25" />
      <path d="M10 6.5V11M10 13.5h.01" />
    </>
  ),
  "exempt-sso": (
    <>
      <rect x="4" y="8.5" width="12" height="8.5" rx="1.5" />
      <path d="M7 8.5V6a3 3 0 0 1 6 0v2.5" />
    </>
  ),
  "exempt-until": (
    <>
      <circle cx="10" cy="10" r="7.25" />
      <path d="M10 6v4l2.5 2" />
    </>
  ),
};

const tone: Record<TwoFactorCell["twoFactor"], string> = {
  enabled: "text-emerald-700",
  "not-set-up": "text-amber-700",
  "exempt-sso": "text-slate-600",
  "exempt-until": "text-slate-600",
};

/** The cell's words, worked out once on the server (a deadline "in 2 days" depends on the clock; days are in the
 *  reader's zone), so the server's HTML and the browser's rendering of the row agree. */
export function twoFactorText(cell: TwoFactorCell, timeZone = UTC): string {
  if (cell.twoFactor === "enabled") return cell.twoFactorMethod ?? "Enabled";
  if (cell.twoFactor === "exempt-sso") return "Exempt (SSO)";
  if (cell.twoFactor === "exempt-until" && cell.exemptUntil)
    return `Exempt until ${formatDay(cell.exemptUntil, timeZone)}`;
  if (cell.deadline) {
    const when = deadlineIn(cell.deadline);
    return when === "passed" ? "Not set up (deadline passed)" : `Not set up: deadline ${when}`;
  }
  return "Not set up";
}

const iconId = (state: TwoFactorCell["twoFactor"]) => `two-factor-icon-${state}`;

/** The four icons, once per page, for every TwoFactorStatus to refer to. */
export function TwoFactorIcons() {
  return (
    <svg aria-hidden="true" className="hidden">
      <defs>
        {Object.entries(icons).map(([state, drawing]) => (
          <symbol key={state} id={iconId(state as TwoFactorCell["twoFactor"])} viewBox="0 0 20 20">
            {drawing}
          </symbol>
        ))}
      </defs>
    </svg>
  );
}

/** An icon (one of TwoFactorIcons') and the words: the 2FA cell of a row. */
export function TwoFactorBadge({ state, text }: { state: TwoFactorCell["twoFactor"]; text: string }) {
  return (
    <span className="two-factor-status">
      <svg aria-hidden="true" className={tone[state]}>
        <use href={`#${iconId(state)}`} />
      </svg>
      {text}
    </span>
  );
}
