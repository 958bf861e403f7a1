import Link from "next/link";
import { Card, CardBody, CardHeader, LocalTime, Table, TBody, Td, THead, Th, Tr } from "@/components/ui";
import type { AdoptionFigures, StateCounts } from "@/lib/services/dashboard/figures";
import { count, percent, usersHref } from "./format";

// Adoption now (issue 15 §1): the share with 2FA as a number and a bar, then the same split by role, type and method.
// Every number is a link to the Users table filtered to exactly those members (same rules as its filters).

const link = "figure-link"; // app/globals.css

function Bar({ value, total, label }: { value: number; total: number; label: string }) {
  const width = total > 0 ? Math.round((value / total) * 1000) / 10 : 0;
  return (
    // The number beside it says the same: the bar is decoration for sighted readers.
    <div className="figure-bar" aria-hidden="true" title={label}>
      <div style={{ width: `${width}%` }} />
    </div>
  );
}

function Figure(props: { label: string; value: number; total?: number; href: string; testId: string }) {
  return (
    <div>
      <dt className="text-sm text-slate-600">{props.label}</dt>
      <dd className="mt-1 text-2xl font-semibold text-slate-900">
        <Link href={props.href} className={link} data-testid={props.testId}>
          {count(props.value)}
        </Link>
        {props.total !== undefined ? (
          <span className="ml-2 text-sm font-normal text-slate-600">{percent(props.value, props.total)}</span>
        ) : null}
      </dd>
    </div>
  );
}

type Filter = { role?: string; type?: string };

function SplitTable(props: {
  caption: string;
  head: string;
  rows: { label: string; filter: Filter; c: StateCounts }[];
}) {
  return (
    <Table label={props.caption}>
      <THead>
        <Tr>
          <Th>{props.head}</Th>
          <Th>Members</Th>
          <Th>With 2FA</Th>
          <Th>
            <span className="sr-only">Share with 2FA</span>
          </Th>
          <Th>Not set up</Th>
          <Th>Exempt</Th>
        </Tr>
      </THead>
      <TBody>
        {props.rows.map(({ label, filter, c }) => (
          <Tr key={label}>
            <Td className="font-medium text-slate-900">{label}</Td>
            <Td>
              <Link className={link} href={usersHref(filter)} aria-label={`${count(c.members)} ${label.toLowerCase()}`}>
                {count(c.members)}
              </Link>
            </Td>
            <Td>
              <Link
                className={link}
                href={usersHref({ ...filter, status: "enabled" })}
                aria-label={`${count(c.enrolled)} ${label.toLowerCase()} with 2FA`}
              >
                {count(c.enrolled)}
              </Link>{" "}
              <span className="text-slate-600">({percent(c.enrolled, c.members)})</span>
            </Td>
            <Td className="w-32">
              <Bar value={c.enrolled} total={c.members} label={`${percent(c.enrolled, c.members)} with 2FA`} />
            </Td>
            <Td>
              <Link
                className={link}
                href={usersHref({ ...filter, status: "not-set-up" })}
                aria-label={`${count(c.notSetUp)} ${label.toLowerCase()} without 2FA`}
              >
                {count(c.notSetUp)}
              </Link>
            </Td>
            <Td>
              <span className="sr-only">SSO: </span>
              <Link
                className={link}
                href={usersHref({ ...filter, status: "exempt-sso" })}
                aria-label={`${count(c.exemptSso)} ${label.toLowerCase()} exempt through SSO`}
              >
                {count(c.exemptSso)}
              </Link>
              <span aria-hidden="true"> SSO · </span>
              <span className="sr-only">, until a date: </span>
              <Link
                className={link}
                href={usersHref({ ...filter, status: "exempt-until" })}
                aria-label={`${count(c.exemptUntil)} ${label.toLowerCase()} exempt until a date`}
              >
                {count(c.exemptUntil)}
              </Link>
              <span aria-hidden="true"> dated</span>
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}

export function AdoptionNow({ figures }: { figures: AdoptionFigures }) {
  const f = figures;
  const roles = [
    { label: "Owner", filter: { role: "owner" }, c: f.byRole.OWNER },
    { label: "Administrators", filter: { role: "admin" }, c: f.byRole.ADMIN },
    { label: "Members", filter: { role: "member" }, c: f.byRole.MEMBER },
  ];
  const types = [
    { label: "Employees", filter: { type: "employee" }, c: f.byType.EMPLOYEE },
    { label: "Clients", filter: { type: "client" }, c: f.byType.CLIENT },
    { label: "Contractors", filter: { type: "contractor" }, c: f.byType.CONTRACTOR },
  ];
  return (
    <Card>
      <CardHeader
        title="Two-factor adoption now"
        description={
          <>
            Counted <LocalTime value={f.computedAt} />. Members exempt through SSO or until a date are counted apart.
          </>
        }
      />
      <CardBody className="space-y-5">
        <div>
          <p className="text-4xl font-semibold text-slate-900" data-testid="adoption-share">
            {percent(f.enrolled, f.members)}
          </p>
          <p className="mt-1 text-sm text-slate-600">
            of members have two-factor authentication ({count(f.enrolled)} of {count(f.members)})
          </p>
          <div className="mt-3 max-w-xl">
            <Bar value={f.enrolled} total={f.members} label={`${percent(f.enrolled, f.members)} with 2FA`} />
          </div>
        </div>
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-5">
          <Figure label="Members" value={f.members} href={usersHref({})} testId="figure-members" />
          <Figure
            label="With 2FA"
            value={f.enrolled}
            total={f.members}
            href={usersHref({ status: "enabled" })}
            testId="figure-enrolled"
          />
          <Figure
            label="Not set up"
            value={f.notSetUp}
            total={f.members}
            href={usersHref({ status: "not-set-up" })}
            testId="figure-not-set-up"
          />
          <Figure
            label="Exempt (SSO)"
            value={f.exemptSso}
            href={usersHref({ status: "exempt-sso" })}
            testId="figure-exempt-sso"
          />
          <Figure
            label="Exempt until a date"
            value={f.exemptUntil}
            href={usersHref({ status: "exempt-until" })}
            testId="figure-exempt-until"
          />
        </dl>
      </CardBody>
      <div className="border-t border-slate-200">
        <h3 className="px-6 pt-4 text-sm font-semibold text-slate-900">By role</h3>
        <SplitTable caption="Two-factor adoption by role" head="Role" rows={roles} />
        <h3 className="border-t border-slate-200 px-6 pt-4 text-sm font-semibold text-slate-900">By type</h3>
        <SplitTable caption="Two-factor adoption by membership type" head="Type" rows={types} />
        <h3 className="border-t border-slate-200 px-6 pt-4 text-sm font-semibold text-slate-900">By method</h3>
        <ul className="px-6 py-4 text-sm text-slate-700">
          {(
            [
              ["Authenticator app only", "app", f.byMethod.TOTP],
              ["Text message (SMS) only", "sms", f.byMethod.SMS],
              ["Both app and SMS", "both", f.byMethod.BOTH],
            ] as const
          ).map(([label, method, n]) => (
            <li key={method} className="mt-1 first:mt-0">
              {label}:{" "}
              <Link className={link} href={usersHref({ method })} data-testid={`figure-method-${method}`}>
                {count(n)}
              </Link>{" "}
              ({percent(n, f.members)})
            </li>
          ))}
        </ul>
      </div>
    </Card>
  );
}
