import type { Actor } from "../../auth/actor";
import { db, type Tx } from "../../db";
import { DomainError, fieldError } from "../../errors";
import { maskPhone, parsePhone } from "../../sms/phone";
import type { RequestContext } from "../audit/audit-log";
import { enqueueMail, securityNoticeData } from "../outbox/outbox";
import { consumeSmsCode, issueSmsCode, reserveSmsCodeCheck, type SmsPurpose } from "../sms/codes";
import { auditForUser } from "./audit-for-user";

// What the phone use cases share (issue 12): the organizations whose rules apply to a person's SMS codes, the number
// parsed from the form, texting a code with its audit row, and the mail about a change.

export type PhoneCodeInfo = { sentTo: string; resendAfter: Date; expiresAt: Date };

/** The person's active organizations, and the first one that forbids SMS (allowed methods without SMS), if any. */
export async function smsOrganizations(
  tx: Tx,
  userId: string,
): Promise<{ organizationIds: string[]; forbiddenBy: string | null }> {
  const memberships = await tx.membership.findMany({
    where: { userId, status: "ACTIVE" },
    select: { organizationId: true, organization: { select: { name: true, allowedMethods: true } } },
  });
  const forbidding = memberships.find((m) => !m.organization.allowedMethods.includes("SMS"));
  return {
    organizationIds: memberships.map((m) => m.organizationId),
    forbiddenBy: forbidding?.organization.name ?? null,
  };
}

/** Whether the person may use SMS codes at all (no organization of theirs forbids it): the page hides the option. */
export async function smsAllowedFor(
  { actor }: { actor: Pick<Actor, "userId"> },
  { tx = db }: { tx?: Tx } = {},
): Promise<boolean> {
  return (await smsOrganizations(tx, actor.userId)).forbiddenBy === null;
}

/** The organizations to charge a text to, refusing (SMS_NOT_ALLOWED) when one of them forbids SMS. */
export async function requireSmsAllowed(tx: Tx, userId: string): Promise<string[]> {
  const { organizationIds, forbiddenBy } = await smsOrganizations(tx, userId);
  if (forbiddenBy)
    throw new DomainError("SMS_NOT_ALLOWED", { detail: `(${forbiddenBy} allows authenticator apps only.)` });
  return organizationIds;
}

/** The number of the form as E.164 + country, or VALIDATION with the parser's words on the `number` field. */
export function parsePhoneField(number: string, country: string | null | undefined): { e164: string; country: string } {
  const parsed = parsePhone(number, country);
  if (!parsed.ok) throw fieldError("PHONE_INVALID", { number: { text: parsed.message } });
  return { e164: parsed.e164, country: parsed.country };
}

/** The ISO country of a stored E.164 number. */
export function countryOf(e164: string): string {
  const parsed = parsePhone(e164);
  if (!parsed.ok) throw new DomainError("PHONE_INVALID");
  return parsed.country;
}

/** Texts a code for `purpose` to `phone` (caps and countries checked by issueSmsCode) and audits the send. */
export async function textCode(
  tx: Tx,
  args: {
    userId: string;
    phone: { e164: string; country: string };
    purpose: Extract<SmsPurpose, "enrol" | "change-old" | "change-new" | "disable" | "step-up">;
    organizationIds: string[];
    context: RequestContext;
    /** change-new: the id of the change-old code that was just confirmed (the proof of the old number). */
    challengeId?: string;
  },
  now: Date,
): Promise<PhoneCodeInfo> {
  const { resendAfter, expiresAt } = await issueSmsCode(
    tx,
    {
      userId: args.userId,
      phoneE164: args.phone.e164,
      country: args.phone.country,
      purpose: args.purpose,
      ...(args.challengeId ? { challengeId: args.challengeId } : {}),
      organizationIds: args.organizationIds,
      context: args.context,
    },
    now,
  );
  await auditForUser(tx, args.userId, "2fa.phone_code_sent", args.context, {
    purpose: args.purpose,
    phoneLast4: args.phone.e164.slice(-4),
  });
  return { sentTo: maskPhone(args.phone.e164), resendAfter, expiresAt };
}

/** Mails the person about a phone change (same transaction as the change). */
export async function mailPhoneEvent(
  tx: Tx,
  userId: string,
  template: "phone-added" | "phone-changed" | "phone-removed",
  context: RequestContext,
  now: Date,
  extra: { phoneLast4: string; previousLast4?: string; stillProtected?: boolean },
): Promise<void> {
  const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { name: true, email: true } });
  await enqueueMail(tx, {
    to: user.email,
    template,
    data: { ...securityNoticeData(user.name, context, now), ...extra },
  });
}

/**
 * A texted code, checked in two halves: `checkPhoneCode` reserves one of the code's tries and compares it on its own
 * connection BEFORE the caller opens its transaction (a query on a second connection from inside a transaction would
 * wait forever on a one-connection pool: the embedded database of the demo and the end-to-end suite); the returned
 * code is then consumed with `consumePhoneCode` inside the transaction that makes the change. Throws INVALID_CODE.
 */
export async function checkPhoneCode(
  input: { userId: string; purpose: SmsPurpose; code: string },
  now: Date,
): Promise<{ codeId: string; phoneE164: string }> {
  const check = await reserveSmsCodeCheck(input, now);
  if (check.outcome !== "match" || !check.codeId || !check.phoneE164)
    throw fieldError("INVALID_CODE", { code: "SMS_CODE_WRONG" });
  return { codeId: check.codeId, phoneE164: check.phoneE164 };
}

/** Consumes a code checked by checkPhoneCode, once (a parallel request that consumed it first wins). */
export async function consumePhoneCode(tx: Tx, checked: { codeId: string }, now: Date): Promise<void> {
  if (!(await consumeSmsCode(tx, checked.codeId, now))) throw fieldError("INVALID_CODE", { code: "SMS_CODE_WRONG" });
}
