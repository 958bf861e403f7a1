import Link from "next/link";
import type { ReactNode } from "react";
import { EmptyState, Table, TBody, THead, Th, Tr } from "@/components/ui";
import { formatDay } from "@/lib/format/dates";
import { roleLabel, signInMethodLabel, typeLabel } from "@/lib/format/labels";
import type { OptionalColumn } from "./columns";
import { isFiltered, type TableQuery, usersHref } from "./href";
import { type TwoFactorCell, TwoFactorIcons, TwoFactorStatus } from "./two-factor-status";

// The administrators' Users table: plain rows in, links out (sorting and paging are links, so they work without
// JavaScript and survive reload). The person (name over email, the row's header cell) and their 2FA status come first,
// so the reason for this table is in view without scrolling at any width; then the other security columns, role and
// the rest; the actions cell last. Wide screens: a table that fits 1366 px with the default columns (more chosen
// columns scroll sideways, said above the table, with the actions column kept in view). Narrow screens (< 768 px): each
// row is a stacked card (name, email and actions; 2FA status; labelled details two per line), never wider than the
// screen. Up to 50 rows per page: each row is plain cells (styled once by the `teammates-rows` class in globals.css,
// not by utility classes repeated in every row's markup and RSC payload) and whatever controls the page passes in.

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

function Recovery({ row }: { row: TeammateRowView }) {
  if (row.twoFactor !== "enabled")
    return (
      <span className="text-slate-500">
        <span aria-hidden="true">—</span>
        <span className="sr-only">None</span>
      </span>
    );
  const low = row.recoveryCodesLeft <= 3;
  return (
    <span className={low ? "font-medium text-amber-800" : undefined}>
      <span>{`${row.recoveryCodesLeft}/${row.recoveryCodesTotal}`}</span>
      {low ? <span className="ml-1 text-xs">(low)</span> : null}
    </span>
  );
}

/** A day in the administrator's zone, formatted here on the server, as plain text: a client component per cell
 *  would double the Users page's client components, and a <time dateTime> per cell costs ~70 bytes of RSC payload
 *  per row (e2e/users-page-weight.spec.ts: at most one client component and 1.5 KB of RSC per row). */
function Day({ value, timeZone }: { value: Date | string | null | undefined; timeZone: string }) {
  return formatDay(value, timeZone);
}

export function TeammatesTable(props: {
  /** The administrator's time zone (requestTimeZone): the table's days are formatted on the server. */
  timeZone: string;
  rows: TeammateRowView[];
  columns: readonly OptionalColumn[];
  query: TableQuery;
  currentUserId: string;
  /** The role cell's content for rows whose role may be changed (e.g. a select); null shows the role as text. */
  renderRole?: (row: TeammateRowView) => ReactNode;
  renderActions?: (row: TeammateRowView) => ReactNode;
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
        <TBody className="teammates-rows">
          {rows.map((t) => (
            <tr key={t.membershipId}>
              <th scope="row">
                <span className="teammate-name">
                  {t.name}
                  {t.userId === props.currentUserId ? <span className="teammate-you"> (you)</span> : null}
                </span>
                <span className="teammate-email">{t.email}</span>
              </th>
              {show("twoFactor") ? (
                <td data-cell="two-factor">
                  <TwoFactorStatus cell={t} />
                </td>
              ) : null}
              {show("recovery") ? (
                <td data-label="Recovery codes">
                  <Recovery row={t} />
                </td>
              ) : null}
              {show("lastTwoFactorUse") ? (
                <td data-label="Last 2FA use">
                  <Day value={t.lastTwoFactorUseAt} timeZone={props.timeZone} />
                </td>
              ) : null}
              <td data-label="Role">{props.renderRole?.(t) ?? roleLabel(t.role)}</td>
              <td data-label="Type">{typeLabel(t.type)}</td>
              {show("signInMethod") ? <td data-label="Sign-in method">{signInMethodLabel(t.signInMethod)}</td> : null}
              {show("lastSignIn") ? (
                <td data-label="Last sign-in">
                  <Day value={t.lastSignInAt} timeZone={props.timeZone} />
                </td>
              ) : null}
              {show("joined") ? (
                <td data-label="Joined">
                  <Day value={t.joinedAt} timeZone={props.timeZone} />
                </td>
              ) : null}
              {show("rememberedDevices") ? <td data-label="Remembered devices">{t.rememberedDevices ?? 0}</td> : null}
              {/* Row actions (sticky at the right edge on wide screens): whatever the page passes in renderActions. */}
              <td data-cell="actions">{props.renderActions?.(t)}</td>
            </tr>
          ))}
        </TBody>
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
