"use client";

import { roleLabel, signInMethodLabel, typeLabel } from "@/lib/format/labels";
import { RoleSelect } from "../row-actions";
import type { OptionalColumn } from "./columns";
import type { RowActionTarget } from "./row-action-target";
import { RowActionsCell } from "./row-actions-cell";
import { TwoFactorBadge, type TwoFactorCell } from "./two-factor-status";

// The rows of the administrators' Users table, drawn from plain data (issue 13 target 2). The server sends each row as
// one small object of ready-made words (days already in the administrator's zone, the 2FA words already worked out),
// and this one client component turns the 50 of them into cells. Were the rows server components, every element,
// class and label of every row would be written twice: once as HTML and again in the page's RSC payload (about
// 1.4 KB a row); as data it is the row's values once (about 0.3 KB). The markup is the same as before, so the
// stylesheet's `.teammates-rows` rules and the tests that read the table are unchanged.

/** One row of the Users table as the server sends it: words, not dates, so the server and the browser agree. It is
 *  also the row's target for the row actions (the page hands the same objects to TeammateActionsHost, and the RSC
 *  payload writes an object once and refers to it the second time). */
export interface TeammateRowData extends RowActionTarget {
  /** Present (true) on the administrator's own row. */
  self?: true;
  role: "OWNER" | "ADMIN" | "MEMBER";
  type: string;
  /** The 2FA state (its icon and colour) and its words ("Authenticator app", "Not set up: deadline in 2 days"). */
  tf: TwoFactorCell["twoFactor"];
  tfText: string;
  /** Unused and total recovery codes, with 2FA only. */
  codes?: [left: number, total: number];
  /** The optional columns' values, present when the column is shown; days already in words. */
  lastTwoFactorUse?: string;
  signInMethod?: string;
  lastSignIn?: string;
  joined?: string;
  rememberedDevices?: number;
}

function Recovery({ codes }: { codes: TeammateRowData["codes"] }) {
  if (!codes)
    return (
      <span className="text-slate-500">
        <span aria-hidden="true">—</span>
        <span className="sr-only">None</span>
      </span>
    );
  const low = codes[0] <= 3;
  return (
    <span className={low ? "font-medium text-amber-800" : undefined}>
      <span>{`${codes[0]}/${codes[1]}`}</span>
      {low ? <span className="ml-1 text-xs">(low)</span> : null}
    </span>
  );
}

export function TeammateRows({ rows, columns }: { rows: TeammateRowData[]; columns: readonly OptionalColumn[] }) {
  const show = (c: OptionalColumn) => columns.includes(c);
  return (
    <tbody className="teammates-rows">
      {rows.map((t) => (
        <tr key={t.membershipId}>
          <th scope="row">
            <span className="teammate-name">
              {t.name}
              {t.self ? <span className="teammate-you"> (you)</span> : null}
            </span>
            <span className="teammate-email">{t.email}</span>
          </th>
          {show("twoFactor") ? (
            <td data-cell="two-factor">
              <TwoFactorBadge state={t.tf} text={t.tfText} />
            </td>
          ) : null}
          {show("recovery") ? (
            <td data-label="Recovery codes">
              <Recovery codes={t.codes} />
            </td>
          ) : null}
          {show("lastTwoFactorUse") ? <td data-label="Last 2FA use">{t.lastTwoFactorUse}</td> : null}
          <td data-label="Role">
            {t.role !== "OWNER" && !t.self ? (
              <RoleSelect membershipId={t.membershipId} name={t.name} role={t.role} />
            ) : (
              roleLabel(t.role)
            )}
          </td>
          <td data-label="Type">{typeLabel(t.type)}</td>
          {show("signInMethod") ? <td data-label="Sign-in method">{signInMethodLabel(t.signInMethod ?? "")}</td> : null}
          {show("lastSignIn") ? <td data-label="Last sign-in">{t.lastSignIn}</td> : null}
          {show("joined") ? <td data-label="Joined">{t.joined}</td> : null}
          {show("rememberedDevices") ? <td data-label="Remembered devices">{t.rememberedDevices ?? 0}</td> : null}
          {/* Row actions (sticky at the right edge on wide screens): a button that opens the one shared menu. */}
          <td data-cell="actions">
            <RowActionsCell
              membershipId={t.membershipId}
              name={t.name}
              role={t.role}
              isSelf={t.self === true}
              lock={t.lock}
            />
          </td>
        </tr>
      ))}
    </tbody>
  );
}
