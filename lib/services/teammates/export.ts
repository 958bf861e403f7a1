import { type Actor, ADMINS } from "../../auth/actor";
import { csvStream } from "../../csv/csv";
import { db, type Tx } from "../../db";
import type { TeammatesQuery } from "../../validation/teammates";
import type { RequestContext } from "../audit/audit-log";
import { actorMembership, organizationOf } from "../authz";
import { type TeammateTableRow, tablePage } from "./table";

// CSV export of the administrators' Users table: the current search, filters and sort (every page of them), streamed
// in keyset pages so memory stays flat at 100,000 members. lib/csv quotes every field and neutralises formula-leading
// cells. Only what the table shows: never a secret, a code or a hash.

export const TEAMMATES_CSV_HEADER = [
  "name",
  "email",
  "role",
  "type",
  "sign_in_method",
  "two_factor",
  "two_factor_method",
  "exempt_until",
  "recovery_codes_left",
  "recovery_codes_total",
  "last_two_factor_use",
  "last_sign_in",
  "joined",
] as const;

// Keyset pages in the table's index order (lib/services/teammates/table.ts): each page continues an index scan; the
// page size trades round trips against memory (10,000 rows: a few MB held at a time).
const EXPORT_PAGE_SIZE = 10_000;

function csvValues(r: TeammateTableRow): unknown[] {
  return [
    r.name,
    r.email,
    r.role.toLowerCase(),
    r.type.toLowerCase(),
    r.signInMethod === "SSO" ? "sso" : "password",
    r.twoFactor,
    r.twoFactorMethod ?? "",
    r.exemptUntil ?? "",
    r.twoFactor === "enabled" ? r.recoveryCodesLeft : "",
    r.twoFactor === "enabled" ? r.recoveryCodesTotal : "",
    r.lastTwoFactorUseAt ?? "",
    r.lastSignInAt ?? "",
    r.joinedAt,
  ];
}

/** Authorizes (administrators of the organization only) before anything is streamed, then returns the CSV body. */
export async function exportTeammatesCsv(
  { actor, input }: { actor: Actor; input: { query: TeammatesQuery; pageSize?: number }; context?: RequestContext },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<ReadableStream<Uint8Array>> {
  const { query } = input;
  await actorMembership(tx, actor, ADMINS);
  const limit = input.pageSize ?? EXPORT_PAGE_SIZE;
  const filter = { ...query, after: null, before: null };
  async function* pages() {
    let cursor: string | null = null;
    for (;;) {
      const { rows, more } = await tablePage(
        tx,
        organizationOf(actor),
        filter,
        { cursor, backwards: false, limit },
        now,
      );
      if (rows.length > 0) yield rows.map(csvValues);
      const last = rows.at(-1);
      if (!more || !last) return;
      cursor = last.membershipId;
    }
  }
  return csvStream(TEAMMATES_CSV_HEADER, pages());
}
