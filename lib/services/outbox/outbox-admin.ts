import { db, inTransaction, type Tx } from "../../db";
import { DAY_MS } from "../../time";

// Operator side of the outbox: what is dead or stuck, requeueing dead mail (`npm run mail:dead`), and the retention of
// sent mail (S41: sent rows are deleted after SENT_RETENTION_DAYS by the worker's housekeeping).

export const SENT_RETENTION_DAYS = 30;

export interface DeadMail {
  id: string;
  to: string;
  template: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
}

export interface StuckMail {
  /** the last error, shared by `count` pending mails that have failed at least once */
  lastError: string;
  count: number;
  oldest: Date;
}

/** Dead mail, newest first (at most `limit`), and how many there are in all. */
export async function listDeadMail(
  { input = {} }: { input?: { limit?: number } } = {},
  { tx = db }: { tx?: Tx } = {},
): Promise<{ total: number; mails: DeadMail[] }> {
  const [total, rows] = await Promise.all([
    tx.outboxMessage.count({ where: { status: "DEAD" } }),
    tx.outboxMessage.findMany({
      where: { status: "DEAD" },
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      take: input.limit ?? 100,
      select: { id: true, to: true, template: true, attempts: true, lastError: true, createdAt: true },
    }),
  ]);
  return { total, mails: rows };
}

/** Pending mail that keeps failing (e.g. the provider refuses the configuration), grouped by its last error. */
export async function listStuckMail(
  _: Record<string, never> = {},
  { tx = db }: { tx?: Tx } = {},
): Promise<StuckMail[]> {
  const groups = await tx.outboxMessage.groupBy({
    by: ["lastError"],
    where: { status: "PENDING", lastError: { not: null } },
    _count: { _all: true },
    _min: { createdAt: true },
    orderBy: { _count: { lastError: "desc" } },
  });
  return groups.map((g) => ({
    lastError: g.lastError ?? "",
    count: g._count._all,
    oldest: g._min.createdAt ?? new Date(0),
  }));
}

/**
 * Puts dead mail back in the queue, due now, with a fresh attempt count: the rows named by `ids`, or every dead row
 * (`"all"`). A row whose provider call may have been accepted keeps its idempotency key, and the other dead rows of
 * that call come back with it, so the call is repeated whole under the same key (never a second delivery).
 * Returns the ids requeued; unknown ids, or rows that are not DEAD, are left alone and listed in `skipped`.
 */
export async function requeueDeadMail(
  { input: { which } }: { input: { which: string[] | "all" } },
  { tx: outer = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<{ requeued: string[]; skipped: string[] }> {
  return inTransaction(outer, async (tx) => {
    const chosen =
      which === "all"
        ? await tx.outboxMessage.findMany({ where: { status: "DEAD" }, select: { id: true, batchKey: true } })
        : await tx.outboxMessage.findMany({
            where: { status: "DEAD", id: { in: which } },
            select: { id: true, batchKey: true },
          });
    const keys = [...new Set(chosen.map((r) => r.batchKey).filter((k): k is string => k !== null))];
    const ids = [...new Set(chosen.map((r) => r.id))];
    const rows = await tx.outboxMessage.findMany({
      where: { status: "DEAD", OR: [{ id: { in: ids } }, ...(keys.length ? [{ batchKey: { in: keys } }] : [])] },
      select: { id: true },
    });
    const requeued = rows.map((r) => r.id).sort();
    await tx.outboxMessage.updateMany({
      where: { id: { in: requeued }, status: "DEAD" },
      data: { status: "PENDING", attempts: 0, nextAttemptAt: now, lockedUntil: null },
    });
    const skipped = which === "all" ? [] : which.filter((id) => !requeued.includes(id));
    return { requeued, skipped };
  });
}

/** Deletes sent mail older than the retention period (its secrets were already scrubbed when it was sent). The
 *  worker's housekeeping job: it takes options. */
export async function purgeSentMail({
  now = new Date(),
  retentionDays = SENT_RETENTION_DAYS,
}: {
  now?: Date;
  retentionDays?: number;
} = {}): Promise<number> {
  const { count } = await db.outboxMessage.deleteMany({
    where: { status: "SENT", sentAt: { lt: new Date(now.getTime() - retentionDays * DAY_MS) } },
  });
  return count;
}
