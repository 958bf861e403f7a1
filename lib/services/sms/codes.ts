import { randomUUID } from "node:crypto";
import { generateSmsCode, hashSmsCode, normalizeSmsCode } from "../../crypto/sms-codes";
import { safeEqual } from "../../crypto/tokens";
import { db, lockNames, type Tx } from "../../db";
import { env } from "../../env";
import { DomainError, fieldError } from "../../errors";
import { formatTime } from "../../format/dates";
import { type RequestContext, recordAuditEvent } from "../audit/audit-log";
import { enqueueSms } from "../outbox/outbox";
import {
  type CapDecision,
  type CapName,
  countryAllowed,
  decideSend,
  nextUtcDay,
  SMS_RESEND_MS,
  smsLimits,
  utcDayStart,
} from "./caps";

// The one code service of every SMS flow (issue 12): enrol, change (old, then new number), turn off, sign in, step-up.
// A code is 6 digits, valid 10 minutes, 5 tries, single use; only its keyed hash is stored (lib/crypto/sms-codes.ts)
// and the text that carries it rests sealed in the outbox (S41, lib/sms/sealed-text.ts). Every text is written to the
// SmsSend ledger in the same transaction as the code and the outbox row; the caps against SMS pumping (caps.ts) are
// counted from that ledger under transaction-scoped advisory locks on the number, the account, the IP and each
// organization, so parallel requests cannot overrun a cap. Refusals are audited in their own transaction (they must
// stay when the caller's transaction rolls back).

export const SMS_CODE_TTL_MS = 10 * 60_000;
export const SMS_CODE_MAX_ATTEMPTS = 5;
export { SMS_RESEND_MS };

export type SmsPurpose = "enrol" | "change-old" | "change-new" | "disable" | "sign-in" | "step-up";

export interface IssueSmsCodeInput {
  userId: string;
  /** E.164, already parsed (lib/sms/phone.ts) */
  phoneE164: string;
  /** ISO 3166 alpha-2 of the number */
  country: string;
  purpose: SmsPurpose;
  /** the sign-in challenge a "sign-in" code belongs to */
  challengeId?: string;
  /** the person's active organizations: each one's country list and daily limit apply, and each counts the text */
  organizationIds: string[];
  context: RequestContext;
}

const E164 = /^\+[1-9]\d{6,14}$/;

/** The last four digits, as shown to people ("•••• 1234") and kept in audit rows (never the whole number). */
export function lastFour(phoneE164: string): string {
  return phoneE164.slice(-4);
}

const ts = (d: Date) => d.toISOString();

async function countToday(
  tx: Tx,
  input: IssueSmsCodeInput,
  now: Date,
): Promise<{ toNumber: number; toAccount: number; fromIp: number | null; byOrg: Map<string, number> }> {
  const start = ts(utcDayStart(now));
  const end = ts(nextUtcDay(now));
  const ip = input.context.ip;
  // One text charged to several organizations is several ledger rows "<id>", "<id>.1", …: counted once here.
  const [row] = await tx.$queryRaw<{ n: bigint; a: bigint; i: bigint }[]>`
    WITH today AS (
      SELECT split_part(id, '.', 1) AS send, "phoneE164", "userId", ip FROM "SmsSend"
      WHERE "createdAt" >= (${start}::timestamptz AT TIME ZONE 'UTC') AND "createdAt" < (${end}::timestamptz AT TIME ZONE 'UTC')
        AND ("phoneE164" = ${input.phoneE164} OR "userId" = ${input.userId} OR ip = ${ip}))
    SELECT count(DISTINCT send) FILTER (WHERE "phoneE164" = ${input.phoneE164}) AS n,
           count(DISTINCT send) FILTER (WHERE "userId" = ${input.userId}) AS a,
           count(DISTINCT send) FILTER (WHERE ip = ${ip}) AS i
    FROM today`;
  const byOrg = new Map<string, number>();
  if (input.organizationIds.length > 0) {
    const rows = await tx.smsSend.groupBy({
      by: ["organizationId"],
      where: {
        organizationId: { in: input.organizationIds },
        createdAt: { gte: utcDayStart(now), lt: nextUtcDay(now) },
      },
      _count: { _all: true },
    });
    for (const r of rows) if (r.organizationId) byOrg.set(r.organizationId, r._count._all);
  }
  return {
    toNumber: Number(row?.n ?? 0),
    toAccount: Number(row?.a ?? 0),
    fromIp: ip ? Number(row?.i ?? 0) : null,
    byOrg,
  };
}

const pendingAudits = new Set<Promise<void>>();

/**
 * Audits a refused send in its own transaction, once per organization. It must outlive the caller's transaction (which
 * rolls back with the refusal), and it must not wait for a second pooled connection while this one holds the cap locks
 * (under a burst, every pooled connection could be a sender waiting for those locks): so it is written right after
 * the refusal is thrown, when the caller's connection is back in the pool. `settleSmsRefusalAudits` waits for them
 * (graceful shutdown, tests).
 */
function auditRefusal(
  input: IssueSmsCodeInput,
  metadata: { reason: CapName | "country"; retryAt: Date | null; organizationId?: string },
): void {
  const orgs = input.organizationIds.length ? input.organizationIds : [null];
  const write = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    await db.$transaction(async (tx) => {
      for (const organizationId of orgs) {
        await recordAuditEvent(tx, {
          type: "sms.send_refused",
          organizationId,
          actorId: input.userId,
          targetId: input.userId,
          context: input.context,
          metadata: {
            purpose: input.purpose,
            reason: metadata.reason,
            country: input.country,
            phoneLast4: lastFour(input.phoneE164),
            retryAt: metadata.retryAt ? metadata.retryAt.toISOString() : null,
            ...(metadata.organizationId ? { limitedBy: metadata.organizationId } : {}),
          },
        });
      }
    });
  };
  const p = write().catch((e: unknown) => {
    console.error(`[sms] could not audit a refused text: ${e instanceof Error ? e.message : String(e)}`);
  });
  pendingAudits.add(p);
  void p.finally(() => pendingAudits.delete(p));
}

/** Waits until the audit rows of refused texts so far are written. */
export async function settleSmsRefusalAudits(): Promise<void> {
  while (pendingAudits.size > 0) await Promise.all([...pendingAudits]);
}

const CAP_WORDS: Record<CapName, string> = {
  resend: "A code was sent a moment ago.",
  number: "This phone number has received the most texts allowed today.",
  account: "This account has received the most texts allowed today.",
  ip: "Your network has asked for the most texts allowed today.",
  organization: "Your organization has sent the most texts allowed today.",
};

/** The words people see for a refused send: why, and when to try again. */
export function smsLimitedDetail(cap: CapName, retryAt: Date, timeZone: string | undefined, now: Date): string {
  const when = formatTime(retryAt, timeZone, now);
  const alternative =
    cap === "resend" ? "" : " Meanwhile, use your authenticator app or a recovery code if you have one.";
  return `${CAP_WORDS[cap]} You can ask for another code after ${when}.${alternative}`;
}

function textBody(code: string, purpose: SmsPurpose): string {
  const host = new URL(env.NEXTAUTH_URL).host;
  const what = purpose === "sign-in" ? "sign-in code" : "verification code";
  // The last line binds the code to our origin (origin-bound one-time codes, WebOTP): browsers offer to fill it only on
  // this site, and it tells the reader where the code belongs.
  return `Your Twofold ${what} is ${code}. It expires in ${SMS_CODE_TTL_MS / 60_000} minutes. Never share it; Twofold will never ask for it.\n\n@${host} #${code}`;
}

/**
 * Issues a code for `purpose` and queues the text carrying it, in the caller's transaction: checks the allowed
 * countries and the caps (throws DomainError SMS_COUNTRY_NOT_ALLOWED or SMS_LIMITED with `retryAt`, after auditing
 * the refusal), voids the person's earlier unused codes of this purpose, creates the code (hash only), the ledger rows
 * and the outbox row.
 */
export async function issueSmsCode(
  tx: Tx,
  input: IssueSmsCodeInput,
  now: Date = new Date(),
): Promise<{ codeId: string; resendAfter: Date; expiresAt: Date }> {
  if (!E164.test(input.phoneE164)) throw new Error("issueSmsCode: phoneE164 must be E.164");
  if (!/^[A-Za-z]{2}$/.test(input.country)) throw new Error("issueSmsCode: country must be ISO 3166 alpha-2");
  if (input.purpose === "sign-in" && !input.challengeId)
    throw new Error("issueSmsCode: a sign-in code needs its challenge");
  const country = input.country.toUpperCase();
  const organizationIds = [...new Set(input.organizationIds)];
  const request = { ...input, country, organizationIds };

  const organizations = await tx.organization.findMany({
    where: { id: { in: organizationIds } },
    select: { id: true, smsCountries: true, smsDailyLimit: true },
  });
  if (!countryAllowed(country, organizations)) {
    auditRefusal(request, { reason: "country", retryAt: null });
    throw new DomainError("SMS_COUNTRY_NOT_ALLOWED");
  }

  const decide = async () => {
    const last = await tx.smsCode.findFirst({
      where: {
        userId: input.userId,
        purpose: input.purpose,
        createdAt: { gt: new Date(now.getTime() - SMS_RESEND_MS) },
      },
      orderBy: { createdAt: "desc" },
      select: { createdAt: true },
    });
    const counts = await countToday(tx, request, now);
    return decideSend(
      {
        lastCodeAt: last?.createdAt ?? null,
        toNumber: counts.toNumber,
        toAccount: counts.toAccount,
        fromIp: counts.fromIp,
        organizations: organizations.map((o) => ({
          id: o.id,
          count: counts.byOrg.get(o.id) ?? 0,
          limit: o.smsDailyLimit,
        })),
      },
      smsLimits(),
      now,
    );
  };
  const refuse = (decision: Extract<CapDecision, { ok: false }>) => {
    auditRefusal(request, {
      reason: decision.cap,
      retryAt: decision.retryAt,
      ...(decision.organizationId ? { organizationId: decision.organizationId } : {}),
    });
    return new DomainError("SMS_LIMITED", {
      detail: smsLimitedDetail(decision.cap, decision.retryAt, input.context.timeZone, now),
      retryAt: decision.retryAt,
    });
  };
  // A first look without locks refuses a burst past a cap at once (without queueing it behind the locks); the
  // decision that counts is taken again under the locks.
  const early = await decide();
  if (!early.ok) throw refuse(early);
  await lockNames(tx, [
    `sms:user:${input.userId}`,
    `sms:number:${input.phoneE164}`,
    ...(input.context.ip ? [`sms:ip:${input.context.ip}`] : []),
    ...organizationIds.map((id) => `sms:org:${id}`),
  ]);
  const decision = await decide();
  if (!decision.ok) throw refuse(decision);

  // Sending a new code voids the earlier ones of this purpose (only the latest text is the one to type).
  await tx.smsCode.updateMany({
    where: { userId: input.userId, purpose: input.purpose, consumedAt: null },
    data: { consumedAt: now },
  });
  const code = generateSmsCode();
  const codeId = `sc${randomUUID().replaceAll("-", "")}`;
  const expiresAt = new Date(now.getTime() + SMS_CODE_TTL_MS);
  await tx.smsCode.create({
    data: {
      id: codeId,
      userId: input.userId,
      purpose: input.purpose,
      phoneE164: input.phoneE164,
      codeHash: hashSmsCode(code, { userId: input.userId, codeId }),
      challengeId: input.challengeId ?? null,
      createdAt: now,
      expiresAt,
    },
  });
  const sendId = `ss${randomUUID().replaceAll("-", "")}`;
  const ledger = (organizationIds.length ? organizationIds : [null]).map((organizationId, i) => ({
    id: i === 0 ? sendId : `${sendId}.${i}`,
    userId: input.userId,
    organizationId,
    phoneE164: input.phoneE164,
    country,
    ip: input.context.ip?.slice(0, 64) ?? null,
    purpose: input.purpose,
    createdAt: now,
  }));
  await tx.smsSend.createMany({ data: ledger });
  await enqueueSms(tx, {
    to: input.phoneE164,
    template: `sms-code:${input.purpose}`,
    body: textBody(code, input.purpose),
  });
  return { codeId, resendAfter: new Date(now.getTime() + SMS_RESEND_MS), expiresAt };
}

export interface SmsCodeCheck {
  /** "match": the right code, its try reserved, not consumed yet (consume it with consumeSmsCode in the change's
   *  transaction); "used": the latest code was consumed already (a replay, or a parallel request that won);
   *  "wrong": a wrong code, an exhausted one (5 tries), or none pending. */
  outcome: "match" | "used" | "wrong";
  codeId: string | null;
  phoneE164: string | null;
}

/**
 * Reserves one of the latest code's 5 tries and checks `code` against it. The reservation is a conditional update
 * committed on its own (S36: parallel guesses cannot all be checked, and a failure sticks when the caller's
 * transaction rolls back): call it before the caller's transaction opens, not inside it. Throws INVALID_CODE_FORMAT
 * for input that cannot be a code.
 */
export async function reserveSmsCodeCheck(
  input: { userId: string; purpose: SmsPurpose; code: string; challengeId?: string },
  now: Date = new Date(),
): Promise<SmsCodeCheck> {
  const code = normalizeSmsCode(input.code);
  if (!code) throw fieldError("INVALID_CODE_FORMAT", { code: "SMS_CODE_FORMAT" });
  const row = await db.smsCode.findFirst({
    where: {
      userId: input.userId,
      purpose: input.purpose,
      ...(input.challengeId ? { challengeId: input.challengeId } : {}),
      expiresAt: { gt: now },
    },
    orderBy: { createdAt: "desc" },
    select: { id: true, codeHash: true, phoneE164: true, consumedAt: true },
  });
  if (!row) return { outcome: "wrong", codeId: null, phoneE164: null };
  const found = { codeId: row.id, phoneE164: row.phoneE164 };
  // The code is compared only with a spent code (worth nothing any more) or after its try was reserved (S36).
  const matches = () => safeEqual(hashSmsCode(code, { userId: input.userId, codeId: row.id }), row.codeHash);
  if (row.consumedAt) return { outcome: matches() ? "used" : "wrong", ...found };
  const reserved = await db.smsCode.updateMany({
    where: { id: row.id, consumedAt: null, attempts: { lt: SMS_CODE_MAX_ATTEMPTS } },
    data: { attempts: { increment: 1 } },
  });
  if (reserved.count !== 1) {
    // Consumed meanwhile (a parallel request won, maybe with this code) or out of tries.
    const latest = await db.smsCode.findUnique({ where: { id: row.id }, select: { consumedAt: true } });
    return { outcome: latest?.consumedAt && matches() ? "used" : "wrong", ...found };
  }
  return { outcome: matches() ? "match" : "wrong", ...found };
}

/** Consumes a matched code exactly once, in the caller's transaction; false when another request consumed it first
 *  (or it expired meanwhile). */
export async function consumeSmsCode(tx: Tx, codeId: string, now: Date): Promise<boolean> {
  const { count } = await tx.smsCode.updateMany({
    where: { id: codeId, consumedAt: null, expiresAt: { gt: now } },
    data: { consumedAt: now },
  });
  return count === 1;
}

/**
 * Checks a code of `purpose` (for "sign-in": of that challenge) and consumes it in the caller's transaction: 5 tries,
 * 10 minutes, single use by a conditional update (see reserveSmsCodeCheck, which commits the try on its own connection:
 * for a burst of parallel checks prefer calling it before opening the transaction, as verifySecondFactor does).
 * Throws INVALID_CODE_FORMAT for input that cannot be a code, INVALID_CODE for a wrong, expired, used or exhausted one
 * (`cause` says which: "wrong" or "used").
 */
export async function checkSmsCode(
  tx: Tx,
  input: { userId: string; purpose: SmsPurpose; code: string; challengeId?: string },
  now: Date = new Date(),
): Promise<{ phoneE164: string; codeId: string }> {
  const check = await reserveSmsCodeCheck(input, now);
  const invalid = (cause: "wrong" | "used") => fieldError("INVALID_CODE", { code: "SMS_CODE_WRONG" }, { cause });
  if (check.outcome !== "match" || !check.codeId || !check.phoneE164)
    throw invalid(check.outcome === "used" ? "used" : "wrong");
  if (!(await consumeSmsCode(tx, check.codeId, now))) throw invalid("used");
  return { phoneE164: check.phoneE164, codeId: check.codeId };
}
