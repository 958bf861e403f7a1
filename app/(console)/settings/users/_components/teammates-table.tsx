import Link from "next/link";
import type { ReactNode } from "react";
import { EmptyState, Table, TBody, Td, THead, Th, Tr } from "@/components/ui";
import type { OptionalColumn } from "./columns";
import { isFiltered, type TableQuery, usersHref } from "./href";
import { type TwoFactorCell, TwoFactorStatus } from "./two-factor-status";

// The administrators' Users table: plain rows in, links out (sorting and paging are links, so they work without
// JavaScript and survive reload). Identity first, then the security columns (the reason for this table), then role and
// the rest; the actions cell (what the page passes in `renderActions`) stays in view while a wide table scrolls.

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

const roleLabel = { OWNER: "Owner", ADMIN: "Administrator", MEMBER: "Member" } as const;
const typeLabel: Record<string, string> = { EMPLOYEE: "Employee", CLIENT: "Client", CONTRACTOR: "Contractor" };
// The actions stay in view at the right edge while a wide table scrolls sideways.
const sticky = "sticky right-0 shadow-[-1px_0_0_0_var(--color-slate-200)]";
const day = (d: Date | null, never = "Never") => (d ? d.toISOString().slice(0, 10) : never);

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
          <Th className={`${sticky} bg-slate-50`}>
            <span className="sr-only">Actions</span>
          </Th>
        </Tr>
      </THead>
      <TBody>
        {rows.map((t) => (
          <Tr key={t.membershipId}>
            <Td className="whitespace-nowrap">
              <span className="font-medium text-slate-900">{t.name}</span>
              {t.userId === props.currentUserId ? <span className="ml-2 text-xs text-slate-600">(you)</span> : null}
            </Td>
            <Td className="whitespace-nowrap">{t.email}</Td>
            {show("twoFactor") ? (
              <Td>
                <TwoFactorStatus cell={t} />
              </Td>
            ) : null}
            {show("recovery") ? (
              <Td>
                <Recovery row={t} />
              </Td>
            ) : null}
            {show("lastTwoFactorUse") ? <Td className="whitespace-nowrap">{day(t.lastTwoFactorUseAt)}</Td> : null}
            <Td className="whitespace-nowrap">{props.renderRole?.(t) ?? roleLabel[t.role]}</Td>
            <Td>{typeLabel[t.type] ?? t.type}</Td>
            {show("signInMethod") ? <Td>{t.signInMethod === "SSO" ? "SSO" : "Password"}</Td> : null}
            {show("lastSignIn") ? <Td className="whitespace-nowrap">{day(t.lastSignInAt)}</Td> : null}
            {show("joined") ? <Td className="whitespace-nowrap">{day(t.joinedAt)}</Td> : null}
            {/* Row actions cell (sticky at the right edge): whatever the page passes in renderActions. */}
            <Td className={`whitespace-nowrap bg-white ${sticky}`}>{props.renderActions?.(t)}</Td>
          </Tr>
        ))}
      </TBody>
    </Table>
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
