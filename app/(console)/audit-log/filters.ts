import { isAuditEventType } from "@/lib/services/audit/audit-labels";
import type { AuditSearch } from "@/lib/services/audit/audit-search";
import { decodeAuditCursor } from "@/lib/services/audit/audit-search";
import { DAY_MS } from "@/lib/time";
import type { AuditFilterParams } from "@/lib/validation/audit-log";

// The URL's filters (already zod-parsed) → the service's search, and back to links. Shared by the page and the CSV
// export, so the export is exactly the filtered view.

export function toAuditSearch(params: AuditFilterParams): AuditSearch {
  let from = params.from ? new Date(`${params.from}T00:00:00Z`) : undefined;
  // "to" names the last day shown: everything before the next midnight (UTC).
  let to = params.to ? new Date(new Date(`${params.to}T00:00:00Z`).getTime() + DAY_MS) : undefined;
  if (from && to && from >= to) [from, to] = [new Date(to.getTime() - DAY_MS), new Date(from.getTime() + DAY_MS)];
  return {
    type: params.type && isAuditEventType(params.type) ? params.type : undefined,
    actor: params.actor,
    target: params.target,
    from,
    to,
    before: decodeAuditCursor(params.before) ?? undefined,
  };
}

/** `?…` for a link to the filtered view (without the page cursor unless given). */
export function auditQuery(params: AuditFilterParams, extra: { before?: string } = {}): string {
  const q = new URLSearchParams();
  for (const key of ["type", "actor", "target", "from", "to"] as const) {
    const value = params[key];
    if (value) q.set(key, value);
  }
  if (extra.before) q.set("before", extra.before);
  const text = q.toString();
  return text ? `?${text}` : "";
}

export function hasFilters(params: AuditFilterParams): boolean {
  return Boolean(params.type || params.actor || params.target || params.from || params.to);
}

export { shortUserAgent } from "@/lib/format/user-agent";
