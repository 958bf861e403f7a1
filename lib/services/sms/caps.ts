import { env } from "../../env";

// Caps against SMS pumping (issue 12 item 6, S35): the arithmetic, free of the database so it can be tested on a fake
// clock. Texts are counted per UTC day (the ledger is SmsSend) per number, account, client IP and organization; a
// person asking again too soon waits RESEND_MS. codes.ts counts under locks and applies these.

/** The least time between two codes of one purpose for one person ("resend after 30 s"). */
export const SMS_RESEND_MS = 30_000;
const DAY_MS = 86_400_000;

export type CapName = "resend" | "number" | "account" | "ip" | "organization";

export interface SmsLimits {
  perNumber: number;
  perAccount: number;
  perIp: number;
}

/** The limits in force (env SMS_LIMIT_PER_NUMBER / _ACCOUNT / _IP; each organization has its own smsDailyLimit). */
export function smsLimits(): SmsLimits {
  return { perNumber: env.SMS_LIMIT_PER_NUMBER, perAccount: env.SMS_LIMIT_PER_ACCOUNT, perIp: env.SMS_LIMIT_PER_IP };
}

/** 00:00 UTC of the day of `now`. */
export function utcDayStart(now: Date): Date {
  return new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
}

/** 00:00 UTC of the next day: when a daily cap reached today lifts. */
export function nextUtcDay(now: Date): Date {
  return new Date(utcDayStart(now).getTime() + DAY_MS);
}

export interface CapState {
  /** when this person last got a code of this purpose (null: never, or not recently) */
  lastCodeAt: Date | null;
  /** texts today (UTC) */
  toNumber: number;
  toAccount: number;
  /** null when the client IP is unknown (then the IP cap does not apply) */
  fromIp: number | null;
  /** per organization the person belongs to: texts today and that organization's own limit */
  organizations: { id: string; count: number; limit: number }[];
}

export type CapDecision = { ok: true } | { ok: false; cap: CapName; retryAt: Date; organizationId?: string };

/** Whether one more text may go now; when not, which cap refuses and when to retry. */
export function decideSend(state: CapState, limits: SmsLimits, now: Date): CapDecision {
  if (state.lastCodeAt) {
    const at = state.lastCodeAt.getTime() + SMS_RESEND_MS;
    if (at > now.getTime()) return { ok: false, cap: "resend", retryAt: new Date(at) };
  }
  const tomorrow = nextUtcDay(now);
  if (state.toNumber >= limits.perNumber) return { ok: false, cap: "number", retryAt: tomorrow };
  if (state.toAccount >= limits.perAccount) return { ok: false, cap: "account", retryAt: tomorrow };
  if (state.fromIp !== null && state.fromIp >= limits.perIp) return { ok: false, cap: "ip", retryAt: tomorrow };
  for (const o of state.organizations) {
    if (o.count >= o.limit) return { ok: false, cap: "organization", retryAt: tomorrow, organizationId: o.id };
  }
  return { ok: true };
}

/** Whether texts may go to `country` for a person in these organizations: every organization's list must name it
 *  (an empty list allows none: "none until chosen"); outside any organization, SMS_PERSONAL_COUNTRIES decides. */
export function countryAllowed(
  country: string,
  organizations: { smsCountries: string[] }[],
  personalCountries: string[] = env.SMS_PERSONAL_COUNTRIES,
): boolean {
  const c = country.toUpperCase();
  if (organizations.length === 0) return personalCountries.includes(c);
  return organizations.every((o) => o.smsCountries.includes(c));
}
