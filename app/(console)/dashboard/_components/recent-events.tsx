import Link from "next/link";
import { Card, CardHeader, LocalTime } from "@/components/ui";

// The last 10 audit events in words (the audit log's own sentences, lib/services/audit-text.ts).

export function RecentEvents({ events }: { events: { id: string; text: string; createdAt: Date }[] }) {
  return (
    <Card>
      <CardHeader
        title="Recent security events"
        actions={
          <Link href="/audit-log" className="text-sm font-medium text-brand-700 underline-offset-4 hover:underline">
            Open the audit log
          </Link>
        }
      />
      {events.length === 0 ? (
        <p className="px-6 py-4 text-sm text-slate-600">Nothing recorded yet.</p>
      ) : (
        <ol className="divide-y divide-slate-200" data-testid="recent-events">
          {events.map((e) => (
            <li key={e.id} className="px-6 py-3 text-sm">
              <p className="text-slate-900">{e.text}</p>
              <p className="text-xs text-slate-600">
                <LocalTime value={e.createdAt} />
              </p>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
