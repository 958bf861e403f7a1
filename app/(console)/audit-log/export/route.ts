import type { NextRequest } from "next/server";
import { type Actor, ADMINS } from "@/lib/auth/actor";
import { requireOrgRole } from "@/lib/auth/guards";
import { csvStream } from "@/lib/csv/csv";
import { errorMessages, httpStatus, isDomainError } from "@/lib/errors";
import { type AuditCursor, searchAuditEvents } from "@/lib/services/audit/audit-search";
import { parseAuditFilter } from "@/lib/validation/audit-log";
import { toAuditSearch } from "../filters";

// GET /audit-log/export?type=&actor=&target=&from=&to=: the audit log as CSV (administrators), with the same filters
// as the page (every page of them, not only the one on screen), streamed in pages of 200. lib/csv quotes every field
// and neutralises cells a spreadsheet would run as a formula.
export async function GET(request: NextRequest): Promise<Response> {
  let actor: Actor;
  try {
    const ctx = await requireOrgRole(ADMINS);
    actor = ctx.actor;
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return Response.json({ error: e.message }, { status: httpStatus[e.code] ?? 400 });
  }
  const { before: _page, ...params } = parseAuditFilter(Object.fromEntries(request.nextUrl.searchParams));
  const search = toAuditSearch(params);

  async function* pages() {
    let before: AuditCursor | undefined;
    for (;;) {
      const { events, nextCursor } = await searchAuditEvents({ actor, input: { ...search, limit: 200, before } });
      if (events.length > 0) {
        yield events.map((r) => [
          r.createdAt,
          r.text,
          r.type,
          r.actorName ?? "",
          r.targetName ?? "",
          r.ip ?? "",
          r.userAgent ?? "",
          r.actorEmail ?? "",
          r.targetEmail ?? "",
        ]);
      }
      if (!nextCursor) return;
      before = nextCursor;
    }
  }
  try {
    // The first seven columns are the original export's; the email columns were added after them.
    const header = ["time", "event", "type", "actor", "target", "ip", "user_agent", "actor_email", "target_email"];
    return new Response(csvStream(header, pages()), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="audit-log-${new Date().toISOString().slice(0, 10)}.csv"`,
        "cache-control": "no-store",
      },
    });
  } catch {
    return Response.json({ error: errorMessages.INTERNAL }, { status: 500 });
  }
}
