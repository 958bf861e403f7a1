import Link from "next/link";
import type { ReactNode } from "react";
import { EmptyState, Table, THead, Th, Tr } from "@/components/ui";
import { formatDay } from "@/lib/format/dates";
import type { OptionalColumn } from "./columns";
import { isFiltered, type TableQuery, usersHref } from "./href";
import type { RowActionTarget, TeammateLock } from "./row-action-target";
import { type TeammateRowData, TeammateRows } from "./teammate-rows";
import { type TwoFactorCell, TwoFactorIcons, twoFactorText } from "./two-factor-status";

// The administrators' Users table: plain rows in, links out (sorting and paging are links, so they work without
// JavaScript and survive reload). The header is rendered here; the rows are plain data drawn by one client component
// (TeammateRows: each row's values once in the RSC payload, not every element of every row). The person (name over
// email, the row's header cell) and their 2FA status come first, so the reason for this table is in view without
// scrolling at any width; then the other security columns, role and the rest; the actions cell last. Wide screens: a
// table that fits 1366 px with the default columns (more chosen columns scroll sideways, said above the table, with the
// actions column kept in view). Narrow screens (< 768 px): each row is a stacked card (name, email and actions; 2FA
// status; labelled details two per line), never wider than the screen. Up to 50 rows per page: each row is plain cells
// (styled once by the `teammates-rows` class in globals.css, not by utility classes repeated in every row), its role
// picker and its "2FA actions" button.

export interface TeammateRowView extends TwoFactorCell {
  membershipId: string;
  userId: string;
  name: string;
  email: string;
  role: "OWNER" | "ADMIN" | "MEMBER";
  type: string;
  signInMethod: string;
  recoveryCodesLeft: number;
  recoveryCodesTotal: number;
  lastTwoFactorUseAt: Date | null;
  lastSignInAt: Date | null;
  joinedAt: Date;
  rememberedDevices?: number;
  /** A sign-in lock after failed attempts (the actions cell's "Locked" badge). */
  lock?: TeammateLock | null;
}

function SortLink({ query, sort, children }: { query: TableQuery; sort: string; children: ReactNode }) {
  const active = query.sort === sort;
  const next = active && query.dir === "asc" ? "desc" : "asc";
  return (
    <Link
      href={usersHref(query, { sort, dir: next })}
      className="inline-flex items-center gap-1 rounded-sm hover:text-slate-900"
    >
      {children}
      <span aria-hidden="true" className={active ? "text-slate-900" : "text-slate-400"}>
        {active ? (query.dir === "asc" ? "▲" : "▼") : "↕"}
      </span>
      <span className="sr-only">
        {active ? `, sorted ${query.dir === "asc" ? "ascending" : "descending"}; ` : ", "}
        sort {next === "asc" ? "ascending" : "descending"}
      </span>
    </Link>
  );
}

const ariaSort = (query: TableQuery, sorts: string[]) =>
  sorts.includes(query.sort) ? (query.dir === "asc" ? "ascending" : "descending") : undefined;

function SortHeader({ query, sort, children }: { query: TableQuery; sort: string; children: ReactNode }) {
  return (
    <Th aria-sort={ariaSort(query, [sort])}>
      <SortLink query={query} sort={sort}>
        {children}
      </SortLink>
    </Th>
  );
}

/** The rows as the client component draws them (and as the row actions' targets): the optional columns' values only
 *  when shown, days and 2FA in words, in the administrator's time zone. */
export function teammateRowData(
  rows: TeammateRowView[],
  o: { columns: readonly OptionalColumn[]; timeZone: string; currentUserId: string },
): TeammateRowData[] {
  const show = (c: OptionalColumn) => o.columns.includes(c);
  return rows.map((t) => {
    const row: TeammateRowData = {
      membershipId: t.membershipId,
      name: t.name,
      email: t.email,
      hasTwoFactor: t.twoFactor === "enabled",
      exemptUntil: t.exemptUntil ? t.exemptUntil.toISOString() : null,
      lock: t.lock ?? null,
      role: t.role,
      type: t.type,
      tf: t.twoFactor,
      tfText: twoFactorText(t, o.timeZone),
    };
    if (t.userId === o.currentUserId) row.self = true;
    if (t.twoFactor === "enabled" && show("recovery")) row.codes = [t.recoveryCodesLeft, t.recoveryCodesTotal];
    if (show("lastTwoFactorUse")) row.lastTwoFactorUse = formatDay(t.lastTwoFactorUseAt, o.timeZone);
    if (show("signInMethod")) row.signInMethod = t.signInMethod;
    if (show("lastSignIn")) row.lastSignIn = formatDay(t.lastSignInAt, o.timeZone);
    if (show("joined")) row.joined = formatDay(t.joinedAt, o.timeZone);
    if (show("rememberedDevices")) row.rememberedDevices = t.rememberedDevices ?? 0;
    return row;
  });
}

/** The teammates that have row actions (not the owner, not yourself): the same objects as the rows. */
export const rowActionTargets = (rows: TeammateRowData[]): RowActionTarget[] =>
  rows.filter((r) => r.role !== "OWNER" && !r.self);

export function TeammatesTable(props: {
  /** From teammateRowData: the days are already formatted in the administrator's time zone. */
  rows: TeammateRowData[];
  columns: readonly OptionalColumn[];
  query: TableQuery;
}) {
  const { rows, query } = props;
  const show = (c: OptionalColumn) => props.columns.includes(c);
  if (rows.length === 0) {
    return (
      <EmptyState
        title={isFiltered(query) ? "No teammates match these filters" : "No teammates yet"}
        description={isFiltered(query) ? "Try another search, or clear the filters to see everyone." : undefined}
        action={
          isFiltered(query) ? (
            <Link
              href={usersHref({ ...query, q: "", status: "any", method: "any", role: "any", type: "any" })}
              className="font-medium text-brand-700 underline underline-offset-4"
            >
              Clear filters
            </Link>
          ) : undefined
        }
      />
    );
  }
  return (
    <>
      <TwoFactorIcons />
      <Table label="Teammates" className="teammates-table">
        <THead>
          <Tr>
            <Th aria-sort={ariaSort(query, ["name", "email"])}>
              <span className="inline-flex gap-3">
                <SortLink query={query} sort="name">
                  Name
                </SortLink>
                <SortLink query={query} sort="email">
                  Email
                </SortLink>
              </span>
            </Th>
            {show("twoFactor") ? <Th>2FA</Th> : null}
            {show("recovery") ? <Th>Recovery codes</Th> : null}
            {show("lastTwoFactorUse") ? <Th>Last 2FA use</Th> : null}
            <SortHeader query={query} sort="role">
              Role
            </SortHeader>
            <Th>Type</Th>
            {show("signInMethod") ? <Th>Sign-in method</Th> : null}
            {show("lastSignIn") ? (
              <SortHeader query={query} sort="last-sign-in">
                Last sign-in
              </SortHeader>
            ) : null}
            {show("joined") ? (
              <SortHeader query={query} sort="joined">
                Joined
              </SortHeader>
            ) : null}
            {show("rememberedDevices") ? <Th>Remembered devices</Th> : null}
            <Th className="teammates-sticky">
              <span className="sr-only">Actions</span>
            </Th>
          </Tr>
        </THead>
        <TeammateRows rows={rows} columns={props.columns} />
      </Table>
    </>
  );
}

export function TablePagination({
  query,
  nextCursor,
  prevCursor,
}: {
  query: TableQuery;
  nextCursor: string | null;
  prevCursor: string | null;
}) {
  if (!nextCursor && !prevCursor) return null;
  const link = "font-medium text-brand-700 underline-offset-4 hover:underline";
  return (
    <nav
      aria-label="Pages of teammates"
      className="flex justify-between gap-4 border-t border-slate-200 px-6 py-3 text-sm"
    >
      <span className="flex gap-4">
        {prevCursor ? (
          <>
            <Link href={usersHref(query)} className={link}>
              « First page
            </Link>
            <Link href={usersHref(query, { before: prevCursor })} className={link}>
              ← Previous page
            </Link>
          </>
        ) : null}
      </span>
      {nextCursor ? (
        <Link href={usersHref(query, { after: nextCursor })} className={link}>
          Next page →
        </Link>
      ) : null}
    </nav>
  );
}
