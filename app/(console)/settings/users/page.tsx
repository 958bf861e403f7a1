import type { Metadata } from "next";
import Link from "next/link";
import {
  buttonClasses,
  Card,
  CardBody,
  CardHeader,
  LocalTime,
  PageHeader,
  Table,
  TBody,
  Td,
  THead,
  Th,
  Tr,
} from "@/components/ui";
import { type OrgContext, pageOrgRole } from "@/lib/auth/guards";
import { requestTimeZone } from "@/lib/auth/request-context";
import { formatCount } from "@/lib/format/count";
import { roleLabel, typeLabel } from "@/lib/format/labels";
import { type LockStatus, teammateLocks } from "@/lib/services/sign-in/lock-status";
import { listPendingInvitations } from "@/lib/services/teammates/list-invitations";
import { listTeammatesTable } from "@/lib/services/teammates/table";
import { listTeammates } from "@/lib/services/teammates/teammates";
import { parseTeammatesQuery } from "@/lib/validation/teammates";
import { changeRoleAction } from "../../actions";
import { ColumnChooser } from "./_components/column-chooser";
import { isFiltered, queryString } from "./_components/href";
import { MemberDirectory } from "./_components/member-directory";
import { TableFilters } from "./_components/table-filters";
import { TeammateActionsHost } from "./_components/teammate-actions";
import { rowActionTargets, TablePagination, TeammatesTable, teammateRowData } from "./_components/teammates-table";
import { InviteForm } from "./invite-form";
import { RevokeInvitationButton } from "./row-actions";
import { saveUsersTableColumnsAction } from "./table-actions";
import { teammateRowActions } from "./teammate-row-actions";

export const metadata: Metadata = { title: "Users" };

type SearchParams = Record<string, string | string[] | undefined>;

const pageLink = "font-medium text-brand-700 underline-offset-4 hover:underline";
const lockProp = (l: LockStatus | undefined) =>
  l
    ? {
        passwordUntil: l.passwordUntil?.toISOString() ?? null,
        passwordScope: l.passwordScope,
        secondFactorUntil: l.secondFactorUntil?.toISOString() ?? null,
      }
    : null;

export default async function UsersPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const ctx = await pageOrgRole("any");
  // Administrators manage (the table with security columns); members see a read-only directory (SPEC §5).
  const isAdmin = ctx.membership.role !== "MEMBER";
  return (
    <div className="space-y-6">
      <PageHeader title="Users" description={`Everyone in ${ctx.organization.name}.`} />
      {isAdmin ? <AdminUsers ctx={ctx} params={params} /> : <Directory ctx={ctx} params={params} />}
    </div>
  );
}

async function Directory({ ctx, params }: { ctx: OrgContext; params: SearchParams }) {
  const after = typeof params.after === "string" ? params.after : null;
  const directory = await listTeammates({ actor: ctx.actor, input: { after } });
  return (
    <Card>
      <CardHeader
        title={`Members (${formatCount(directory.total)})`}
        description={
          directory.total > directory.rows.length
            ? `Showing ${formatCount(directory.rows.length)} per page, owner and administrators first.`
            : undefined
        }
      />
      <MemberDirectory rows={directory.rows} currentUserId={ctx.user.id} />
      {after || directory.nextCursor ? (
        <nav aria-label="Pages of members" className="flex justify-between border-t border-slate-200 px-6 py-3 text-sm">
          {after ? (
            <Link href="/settings/users" className={pageLink}>
              ← First page
            </Link>
          ) : (
            <span />
          )}
          {directory.nextCursor ? (
            <Link href={`/settings/users?after=${encodeURIComponent(directory.nextCursor)}`} className={pageLink}>
              Next page →
            </Link>
          ) : null}
        </nav>
      ) : null}
    </Card>
  );
}

async function AdminUsers({ ctx, params }: { ctx: OrgContext; params: SearchParams }) {
  const actor = ctx.actor;
  const query = parseTeammatesQuery(params);
  const [table, invitations] = await Promise.all([
    listTeammatesTable({ actor, input: { query } }),
    listPendingInvitations({ actor }),
  ]);
  const locks = await teammateLocks({ actor, input: { people: table.rows } });
  const rows = teammateRowData(
    table.rows.map((r) => ({
      ...r,
      deadline: r.twoFactor === "not-set-up" ? table.graceDeadline : null,
      lock: lockProp(locks.get(r.userId)),
    })),
    { columns: table.columns, timeZone: await requestTimeZone(), currentUserId: ctx.user.id },
  );
  const view = {
    q: query.q,
    status: query.status,
    method: query.method,
    role: query.role,
    type: query.type,
    sort: query.sort,
    dir: query.dir,
  };
  return (
    <>
      <Card>
        <CardHeader
          title="Invite a teammate"
          description="They receive an email with a link to set their password and join."
        />
        <CardBody>
          <InviteForm />
        </CardBody>
      </Card>
      <Card>
        <CardHeader
          title={
            isFiltered(view)
              ? `Members (${formatCount(table.total, table.totalExact)} matching)`
              : `Members (${formatCount(table.total, table.totalExact)})`
          }
          description="Two-factor status and recovery readiness of everyone in the organization."
          actions={
            <>
              <ColumnChooser columns={table.columns} save={saveUsersTableColumnsAction} />
              {/* A plain download link: a route handler, not a page (no client-side navigation). */}
              <a
                href={`/settings/users/export${queryString(view)}`}
                download
                className={buttonClasses({ variant: "secondary", size: "sm" })}
              >
                Export CSV
              </a>
            </>
          }
        />
        <TableFilters query={view} />
        {/* The row actions' targets are the rows' own objects (written once in the RSC payload). */}
        <TeammateActionsHost
          targets={rowActionTargets(rows)}
          actions={teammateRowActions}
          changeRole={changeRoleAction}
        >
          <TeammatesTable rows={rows} columns={table.columns} query={view} />
        </TeammateActionsHost>
        <TablePagination query={view} nextCursor={table.nextCursor} prevCursor={table.prevCursor} />
      </Card>
      {invitations.length > 0 ? (
        <Card>
          <CardHeader title={`Pending invitations (${formatCount(invitations.length)})`} />
          <Table>
            <THead>
              <Tr>
                <Th>Email</Th>
                <Th>Role</Th>
                <Th>Type</Th>
                <Th>Invited by</Th>
                <Th>Expires</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </Tr>
            </THead>
            <TBody>
              {invitations.map((i) => (
                <Tr key={i.id}>
                  <Td>{i.email}</Td>
                  <Td>{roleLabel(i.role)}</Td>
                  <Td>{typeLabel(i.type)}</Td>
                  <Td>{i.invitedBy}</Td>
                  <Td>
                    <LocalTime value={i.expiresAt} format="day" />
                  </Td>
                  <Td>
                    <RevokeInvitationButton invitationId={i.id} email={i.email} />
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </Card>
      ) : null}
    </>
  );
}
