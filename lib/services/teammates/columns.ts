import { type Actor, ADMINS } from "../../auth/actor";
import { db, type Tx } from "../../db";
import { DomainError } from "../../errors";
import { DEFAULT_USERS_TABLE_COLUMNS, USERS_TABLE_COLUMNS, type UsersTableColumn } from "../../validation/teammates";
import type { RequestContext } from "../audit/audit-log";
import { actorMembership } from "../authz";

// Settings > Users: which optional columns each administrator shows, kept on their own membership
// (Membership.usersTableColumns; null = the defaults).

/** The stored column choice, or the defaults (unknown ids in the stored value are dropped). */
export function columnsFrom(stored: unknown): UsersTableColumn[] {
  if (!Array.isArray(stored)) return [...DEFAULT_USERS_TABLE_COLUMNS];
  return USERS_TABLE_COLUMNS.filter((c) => stored.includes(c));
}

/** Stores the optional columns this administrator shows (ids already validated by usersTableColumnsSchema). */
export async function saveUsersTableColumns(
  { actor, input }: { actor: Actor; input: { columns: readonly UsersTableColumn[] }; context?: RequestContext },
  { tx = db }: { tx?: Tx; now?: Date } = {},
): Promise<UsersTableColumn[]> {
  const { columns } = input;
  const me = await actorMembership(tx, actor, ADMINS);
  const unknown = columns.filter((c) => !(USERS_TABLE_COLUMNS as readonly string[]).includes(c));
  if (unknown.length) throw new DomainError("VALIDATION", { fields: { columns: "Unknown column." } });
  const chosen = USERS_TABLE_COLUMNS.filter((c) => columns.includes(c));
  await tx.membership.update({ where: { id: me.id }, data: { usersTableColumns: chosen } });
  return chosen;
}
