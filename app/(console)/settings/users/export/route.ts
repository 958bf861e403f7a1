import type { NextRequest } from "next/server";
import { ADMINS } from "@/lib/auth/actor";
import { requireOrgRole } from "@/lib/auth/guards";
import { errorMessages, httpStatus, isDomainError } from "@/lib/errors";
import { exportTeammatesCsv } from "@/lib/services/teammates/export";
import { parseTeammatesQuery } from "@/lib/validation/teammates";

// GET /settings/users/export?q=&status=&role=&type=&sort=&dir=: the administrators' Users table as CSV, with the same
// search, filters and sort as the page (every page of them), streamed. A filter matching nobody gives the header only.
export async function GET(request: NextRequest): Promise<Response> {
  try {
    const ctx = await requireOrgRole(ADMINS);
    const actor = ctx.actor;
    const query = parseTeammatesQuery(Object.fromEntries(request.nextUrl.searchParams));
    const body = await exportTeammatesCsv({ actor, input: { query } });
    const filename = `users-${ctx.organization.slug}-${new Date().toISOString().slice(0, 10)}.csv`;
    return new Response(body, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
        "cache-control": "no-store",
      },
    });
  } catch (e) {
    if (isDomainError(e)) return Response.json({ error: e.message }, { status: httpStatus[e.code] ?? 400 });
    console.error("[users export] unexpected error:", e instanceof Error ? e.name : typeof e);
    return Response.json({ error: errorMessages.INTERNAL }, { status: 500 });
  }
}
