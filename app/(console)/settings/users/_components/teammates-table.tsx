import Link from "next/link";
import type { ReactNode } from "react";
import { EmptyState, LocalTime, Table, TBody, THead, Th, Tr } from "@/components/ui";
import { roleLabel, signInMethodLabel, typeLabel } from "@/lib/format/labels";
import type { OptionalColumn } from "./columns";
import { isFiltered, type TableQuery, usersHref } from "./href";
import { type TwoFactorCell, TwoFactorIcons, TwoFactorStatus } from "./two-factor-status";

// The administrators' Users table: plain rows in, links out (sorting and paging are links, so they work without
// JavaScript and survive reload). Identity first, then the security columns (the reason for this table), then role and
// the rest; the actions cell (what the page passes in `renderActions`) stays in view while a wide table scrolls.
// Up to 50 rows per page: each row is plain cells (styled once by the `teammates-rows` class in globals.css, not by
// utility classes repeated in every row) and whatever controls the page passes in.

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
}

function SortHeader({ query, sort, children }: { query: TableQuery; sort: string; children: ReactNode }) {
  const active = query.sort === sort;
  const next = active && query.dir === "asc" ? "desc" : "asc";
  return (
    <Th aria-sort={active ? (query.dir === "asc" ? "ascending" : "descending") : undefined}>
      <Link
        href={usersHref(query, { sort, dir: next })}
        className="inline-flex items-center gap-1 rounded-sm hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-brand-600"
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

export function TeammatesTable(props: {
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
              href={usersHref({ ...query, q: "", status: "any", role: "any", type: "any" })}
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
      <Table label="Teammates">
        <THead>
          <Tr>
            <SortHeader query={query} sort="name">
              Name
            </SortHeader>
            <SortHeader query={query} sort="email">
              Email
            </SortHeader>
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
            <Th className="teammates-sticky bg-slate-50">
              <span className="sr-only">Actions</span>
            </Th>
          </Tr>
        </THead>
        <TBody className="teammates-rows">
          {rows.map((t) => (
            <tr key={t.membershipId}>
              <td>
                {t.name}
                {t.userId === props.currentUserId ? <span className="ml-2 text-xs text-slate-600">(you)</span> : null}
              </td>
              <td>{t.email}</td>
              {show("twoFactor") ? (
                <td>
                  <TwoFactorStatus cell={t} />
                </td>
              ) : null}
              {show("recovery") ? (
                <td>
                  <Recovery row={t} />
                </td>
              ) : null}
              {show("lastTwoFactorUse") ? (
                <td>
                  <LocalTime value={t.lastTwoFactorUseAt} format="day" />
                </td>
              ) : null}
              <td>{props.renderRole?.(t) ?? roleLabel(t.role)}</td>
              <td>{typeLabel(t.type)}</td>
              {show("signInMethod") ? <td>{signInMethodLabel(t.signInMethod)}</td> : null}
              {show("lastSignIn") ? (
                <td>
                  <LocalTime value={t.lastSignInAt} format="day" />
                </td>
              ) : null}
              {show("joined") ? (
                <td>
                  <LocalTime value={t.joinedAt} format="day" />
                </td>
              ) : null}
              {/* Row actions cell (sticky at the right edge): whatever the page passes in renderActions. */}
              <td>{props.renderActions?.(t)}</td>
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
