import Link from "next/link";
import { Card, CardBody, CardHeader, Table, TBody, Td, THead, Th, Tr } from "@/components/ui";
import type { AdoptionHistory } from "@/lib/services/dashboard/overview";
import { AdoptionChart } from "./adoption-chart";
import { count, longDate, shortDay } from "./format";

// Adoption over time: a written summary (what a screen reader hears first), the chart, and the same data as a table.

const tab = "rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-brand-600";

function summary(h: AdoptionHistory): string {
  const withMembers = h.points.filter((p) => p.share !== null);
  const first = withMembers[0];
  const last = withMembers[withMembers.length - 1];
  if (!first || !last) return "No members yet.";
  const parts = [
    `Today ${last.share}% of ${count(last.members)} member${last.members === 1 ? " has" : "s have"} two-factor authentication (${count(last.enrolled)}).`,
  ];
  if (first !== last) {
    const delta = Math.round(((last.share as number) - (first.share as number)) * 10) / 10;
    parts.push(
      `On ${longDate(first.day)} it was ${first.share}% (${delta >= 0 ? "up" : "down"} ${Math.abs(delta)} points since).`,
    );
  }
  for (const m of h.markers) parts.push(`${m.label} on ${longDate(m.day)}.`);
  if (h.deadline) {
    const end = h.projection[h.projection.length - 1];
    parts.push(
      `The deadline is ${longDate(h.deadline)}${end ? `; at the current pace about ${end.share}% will have 2FA by then` : ""}.`,
    );
  }
  return parts.join(" ");
}

export function HistorySection({
  history,
  canShowSinceRequired,
}: {
  history: AdoptionHistory;
  canShowSinceRequired: boolean;
}) {
  const h = history;
  return (
    <Card>
      <CardHeader
        title="Adoption over time"
        description={
          h.range === "required" ? `Since the requirement was turned on (${longDate(h.from)}).` : "The last 90 days."
        }
        actions={
          canShowSinceRequired ? (
            <nav aria-label="Period" className="flex gap-1 rounded-lg bg-slate-100 p-1">
              <Link
                href="/dashboard"
                aria-current={h.range === "90d" ? "page" : undefined}
                className={`${tab} ${h.range === "90d" ? "bg-white text-slate-900 shadow-xs" : "text-slate-700"}`}
              >
                90 days
              </Link>
              <Link
                href="/dashboard?range=required"
                aria-current={h.range === "required" ? "page" : undefined}
                className={`${tab} ${h.range === "required" ? "bg-white text-slate-900 shadow-xs" : "text-slate-700"}`}
              >
                Since required
              </Link>
            </nav>
          ) : null
        }
      />
      <CardBody className="space-y-4">
        <figure>
          <figcaption className="text-sm text-slate-700" data-testid="history-summary">
            {summary(h)}
          </figcaption>
          <div className="mt-4">
            <AdoptionChart
              points={h.points.map((p) => ({ day: p.day, share: p.share }))}
              projection={h.projection}
              markers={h.markers}
              deadline={h.deadline}
            />
          </div>
          <p className="mt-2 text-xs text-slate-600">
            Solid line: share of members with 2FA at the end of each day (UTC).
            {h.projection.length ? " Dashed line: projection to the deadline from the last 14 days." : ""}
          </p>
        </figure>
        <details className="rounded-lg border border-slate-200">
          <summary className="cursor-pointer px-4 py-2 text-sm font-medium text-slate-900">
            Show the figures as a table
          </summary>
          <Table label="Members with two-factor authentication per day">
            <THead>
              <Tr>
                <Th>Day</Th>
                <Th>Members</Th>
                <Th>With 2FA</Th>
                <Th>Share</Th>
              </Tr>
            </THead>
            <TBody>
              {[...h.points].reverse().map((p) => (
                <Tr key={p.day}>
                  <Td>{shortDay(p.day)}</Td>
                  <Td>{count(p.members)}</Td>
                  <Td>{count(p.enrolled)}</Td>
                  <Td>{p.share === null ? "—" : `${p.share}%`}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </details>
      </CardBody>
    </Card>
  );
}
