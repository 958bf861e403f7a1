import type { Metadata } from "next";
import Link from "next/link";
import {
  ButtonLink,
  buttonClasses,
  Card,
  CardBody,
  EmptyState,
  Input,
  PageHeader,
  Select,
  Table,
  TBody,
  Td,
  THead,
  Th,
  Tr,
} from "@/components/ui";
import { ADMINS } from "@/lib/auth/actor";
import { pageOrgRole } from "@/lib/auth/guards";
import { requestTimeZone } from "@/lib/auth/request-context";
import { formatDay, formatTimeOfDay } from "@/lib/format/dates";
import { auditEventLabels } from "@/lib/services/audit/audit-labels";
import { encodeAuditCursor, searchAuditEvents } from "@/lib/services/audit/audit-search";
import { parseAuditFilter } from "@/lib/validation/audit-log";
import { auditQuery, hasFilters, shortUserAgent, toAuditSearch } from "./filters";

export const metadata: Metadata = { title: "Audit log" };

const typeOptions = Object.entries(auditEventLabels).sort((a, b) => a[1].localeCompare(b[1]));

function Person({ name, email }: { name: string | null; email: string | null }) {
  if (!name && !email) return <span className="text-slate-500">—</span>;
  return (
    <>
      <span className="block text-slate-900">{name}</span>
      {email ? <span className="block text-xs text-slate-600">{email}</span> : null}
    </>
  );
}

export default async function AuditLogPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = await pageOrgRole(ADMINS);
  const params = parseAuditFilter(await searchParams);
  const { events, nextCursor } = await searchAuditEvents({ actor: ctx.actor, input: toAuditSearch(params) });
  const filtered = hasFilters(params);
  const newestHref = `/audit-log${auditQuery(params)}`;
  const timeZone = await requestTimeZone();

  return (
    <div className="space-y-6">
      <PageHeader
        title="Audit log"
        description={`Security events in your organization, newest first. Times are in your time zone (${timeZone}); the date filter and the CSV export use UTC.`}
        actions={
          <ButtonLink href={`/audit-log/export${auditQuery(params)}`} variant="secondary" prefetch={false}>
            {filtered ? "Export filtered CSV" : "Export CSV"}
          </ButtonLink>
        }
      />

      <Card>
        <CardBody>
          <form method="get" action="/audit-log" aria-label="Filter events">
            <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-12">
              <div className="space-y-1.5 lg:col-span-4">
                <label htmlFor="filter-type" className="block text-sm font-medium text-slate-900">
                  Event type
                </label>
                <Select id="filter-type" name="type" defaultValue={params.type ?? ""}>
                  <option value="">All events</option>
                  {typeOptions.map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </Select>
              </div>
              <div className="space-y-1.5 lg:col-span-4">
                <label htmlFor="filter-actor" className="block text-sm font-medium text-slate-900">
                  Done by
                </label>
                <Input
                  id="filter-actor"
                  name="actor"
                  type="search"
                  placeholder="Name or email"
                  defaultValue={params.actor ?? ""}
                />
              </div>
              <div className="space-y-1.5 lg:col-span-4">
                <label htmlFor="filter-target" className="block text-sm font-medium text-slate-900">
                  Affecting
                </label>
                <Input
                  id="filter-target"
                  name="target"
                  type="search"
                  placeholder="Name or email"
                  defaultValue={params.target ?? ""}
                />
              </div>
              <div className="space-y-1.5 lg:col-span-3">
                <label htmlFor="filter-from" className="block text-sm font-medium text-slate-900">
                  From
                </label>
                <Input id="filter-from" name="from" type="date" defaultValue={params.from ?? ""} />
              </div>
              <div className="space-y-1.5 lg:col-span-3">
                <label htmlFor="filter-to" className="block text-sm font-medium text-slate-900">
                  To
                </label>
                <Input id="filter-to" name="to" type="date" defaultValue={params.to ?? ""} />
              </div>
              <div className="flex flex-wrap items-end gap-3 sm:col-span-2 lg:col-span-6">
                <button type="submit" className={buttonClasses()}>
                  Apply filters
                </button>
                {filtered ? (
                  <Link href="/audit-log" className={buttonClasses({ variant: "ghost" })}>
                    Clear filters
                  </Link>
                ) : null}
              </div>
            </div>
          </form>
        </CardBody>
      </Card>

      <Card>
        {events.length === 0 ? (
          filtered || params.before ? (
            <EmptyState
              title="No events match these filters"
              description="Try a longer date range, another event type, or part of a name or email address."
              action={
                <ButtonLink href="/audit-log" variant="secondary" size="sm">
                  Clear filters
                </ButtonLink>
              }
            />
          ) : (
            <EmptyState
              title="No events yet"
              description="Sign-ins, invitations and security changes will appear here."
            />
          )
        ) : (
          <>
            <Table label="Security events, newest first">
              <THead>
                <Tr>
                  <Th>Event</Th>
                  <Th>Done by</Th>
                  <Th>Affecting</Th>
                  <Th>From</Th>
                  <Th>When</Th>
                </Tr>
              </THead>
              <TBody>
                {events.map((e) => (
                  <Tr key={e.id} data-testid="audit-row">
                    <Td className="min-w-64 align-top">
                      <span className="block font-medium text-slate-900">{e.text}</span>
                      <span className="block text-xs text-slate-600">{e.label}</span>
                    </Td>
                    <Td className="align-top">
                      <Person name={e.actorName} email={e.actorEmail} />
                    </Td>
                    <Td className="align-top">
                      {e.targetId && e.targetId === e.actorId ? (
                        <span className="text-slate-600">Themselves</span>
                      ) : (
                        <Person name={e.targetName} email={e.targetEmail} />
                      )}
                    </Td>
                    <Td className="align-top whitespace-nowrap">
                      <span className="block font-mono text-xs text-slate-900">{e.ip ?? "—"}</span>
                      {e.userAgent ? (
                        <span className="block text-xs text-slate-600" title={e.userAgent}>
                          {shortUserAgent(e.userAgent)}
                        </span>
                      ) : null}
                    </Td>
                    <Td className="align-top whitespace-nowrap">
                      <time dateTime={e.createdAt.toISOString()}>
                        <span className="block text-slate-900">{formatDay(e.createdAt, timeZone)}</span>
                        <span className="block text-xs text-slate-600">{formatTimeOfDay(e.createdAt, timeZone)}</span>
                      </time>
                    </Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
            {params.before || nextCursor ? (
              <nav
                aria-label="Pages"
                className="flex items-center justify-between gap-3 border-t border-slate-200 px-6 py-3"
              >
                {params.before ? (
                  <ButtonLink href={newestHref} variant="secondary" size="sm">
                    Newest
                  </ButtonLink>
                ) : (
                  <span />
                )}
                {nextCursor ? (
                  <ButtonLink
                    href={`/audit-log${auditQuery(params, { before: encodeAuditCursor(nextCursor) })}`}
                    variant="secondary"
                    size="sm"
                  >
                    Older events
                  </ButtonLink>
                ) : null}
              </nav>
            ) : null}
          </>
        )}
      </Card>
    </div>
  );
}
