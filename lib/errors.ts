// Typed domain errors and the one table that turns their codes into words for people.
// Services throw DomainError(code); actions and route handlers map it to a form/field message or status.
import { formatTime, UTC } from "./format/dates";

export const errorMessages = {
  UNAUTHENTICATED: "Please sign in to continue.",
  FORBIDDEN: "You do not have permission to do that.",
  NOT_FOUND: "We could not find that.",
  VALIDATION: "Please correct the highlighted fields.",
  INVALID_CREDENTIALS: "That email and password do not match an account.",
  RATE_LIMITED: "Too many attempts. Please wait a few minutes and try again.",
  EMAIL_TAKEN: "An account with this email already exists. Sign in instead.",
  INVITATION_INVALID: "This invitation link is not valid. Ask your administrator for a new one.",
  INVITATION_EXPIRED: "This invitation has expired. Ask your administrator to send a new one.",
  INVITATION_USED: "This invitation has already been used. Sign in instead.",
  ACCOUNT_CREATED_MEANWHILE:
    "An account with this email was created a moment ago. Reload this page and enter that account's password to join.",
  ALREADY_MEMBER: "This person is already a member of the organization.",
  OWNER_PROTECTED: "Nobody but the owner can change the owner.",
  CROSS_ORIGIN: "This request came from another site and was refused.",
  CHALLENGE_EXPIRED: "Your sign-in took too long. Please enter your password again.",
  SESSION_EXPIRED: "Your session has ended. Please sign in again.",
  INVALID_PASSWORD: "That password is not right.",
  INVALID_CODE_FORMAT: "Check the code and try again.",
  INVALID_CODE: "That code is not right.",
  SECOND_FACTOR_LOCKED: "Two-factor sign-in is temporarily locked.",
  TWO_FACTOR_NOT_ENABLED: "Two-factor authentication is not turned on for this account.",
  ENROLLMENT_EXPIRED: "This setup expired after 10 minutes. Start again to get a new QR code.",
  STEP_UP_REQUIRED: "Confirm it's you: enter a code from your authenticator app.",
  NOT_ON_YOURSELF: "You cannot do this to your own account. Use your own security settings instead.",
  TEAMMATE_NO_TWO_FACTOR: "This teammate has not set up two-factor authentication.",
  REENROLLMENT_INVALID: "This link is not valid. Ask your administrator to reset your two-factor authentication again.",
  REENROLLMENT_EXPIRED: "This link has expired (links work for 24 hours). Ask your administrator for a new one.",
  REENROLLMENT_USED: "This link has already been used. Sign in, or ask your administrator for a new link.",
  OWNERSHIP_NOT_OWNER: "Only the owner of the organization can transfer ownership.",
  OWNERSHIP_TARGET_INVALID:
    "Ownership can only go to an active administrator of this organization. Make them an administrator first.",
  OWNERSHIP_TARGET_NO_TWO_FACTOR:
    "The new owner must have two-factor authentication turned on. Ask them to set it up first.",
  OWNERSHIP_OWNER_NO_TWO_FACTOR:
    "Turn on two-factor authentication for your own account (Profile > Security) before you transfer ownership.",
  TEAMMATE_HAS_TWO_FACTOR: "This teammate already uses two-factor authentication: there is nothing to remind them of.",
  // Dashboard: upgrade requests (issue 15)
  UPGRADE_REQUEST_RECENT:
    "Your organization already sent an upgrade request in the last 24 hours. Our sales team will reply by email.",
  UPGRADE_PLAN_INVALID: "Choose a plan above your current one.",
  NO_EXEMPTION: "This teammate has no active exemption from the two-factor requirement.",
  REMINDER_RATE_LIMITED: "A reminder was already sent to this teammate in the last hour.",
  TWO_FACTOR_SETUP_REQUIRED:
    "Your organization requires two-factor authentication. Set it up to continue (Profile > Security > Set up).",
  PLAN_REQUIRED:
    "Requiring two-factor authentication for everyone is part of the Professional and Enterprise plans. Upgrade to use it.",
  ENFORCE_REQUIRES_OWN_TWO_FACTOR:
    "Turn on two-factor authentication for your own account first, so that you cannot lock yourself out.",
  POLICY_STALE:
    "Another administrator changed these settings while you were editing them. Review the current settings and try again.",
  POLICY_REQUIRES_TWO_FACTOR: "Your organization requires two-factor authentication, so you cannot turn it off.",
  EMAIL_CODE_REQUIRED: "Enter the code we sent to your email address.",
  EMAIL_CODE_INVALID: "That email code is not right or has expired. Send a new code and try again.",
  EMAIL_CODE_RATE_LIMITED:
    "A code was sent less than a minute ago. Check your inbox, or wait a minute and send another.",
  SSO_NOT_CONFIGURED: "Single sign-on is not set up here. Sign in with your email and password.",
  SSO_EMAIL_UNVERIFIED:
    "Your identity provider has not verified the email address of your account, so it cannot be used to sign in here. Ask your IT administrator.",
  SSO_PASSWORD_ACCOUNT:
    "This account signs in with a password, not single sign-on. Sign in with your email and password below.",
  SSO_NOT_MEMBER:
    "Your single sign-on account is not an active member of this organization. Ask your administrator to add you again.",
  SSO_SIGN_IN_EXPIRED: "Your sign-in took too long or was already used. Start again and choose single sign-on.",
  CONFLICT: "This changed while you were looking at it. Reload the page and try again.",
  // Issue 9: replacing a factor (S39), accounts in several organizations (S40), the lockout guardrail (B6).
  CURRENT_FACTOR_REQUIRED:
    "To move two-factor authentication to a new app, also enter a code from your current app or one of your recovery codes.",
  TEAMMATE_IN_OTHER_ORGANIZATION:
    "This teammate's account also belongs to another organization, so no single organization can reset its two-factor authentication or issue it recovery codes.",
  STEP_UP_NEEDS_OWN_TWO_FACTOR:
    "This needs a fresh check of your own two-factor authentication, and you have not set it up yet. Set it up in Profile › Security, then try again.",
  LOCKOUT_CONFIRMATION_REQUIRED:
    "You are the only owner or administrator with two-factor authentication: if you lose your phone and your recovery codes, nobody in the organization can reset it. Confirm that you understand to continue.",
  // A phone for SMS codes (issue 12: lib/services/two-factor/phone-*.ts)
  PHONE_INVALID: "Check the phone number.",
  SMS_NOT_ALLOWED:
    "Your organization does not allow text-message codes. Use an authenticator app instead (Profile › Security).",
  PHONE_ALREADY_ADDED: "A phone is already set up for text-message codes. Change the number instead.",
  PHONE_NOT_ADDED: "There is no phone set up for text-message codes on this account.",
  PHONE_SAME_NUMBER: "That is the number you already use. Enter the new number.",
  PHONE_CHANGE_OLD_FIRST:
    "First confirm the code sent to your current number. If you no longer have it, use a recovery code to remove the phone, or ask an administrator to reset your two-factor authentication.",
  PHONE_ONLY_FACTOR_REQUIRED:
    "Your organization requires two-factor authentication and this phone is your only second factor, so it cannot be removed. Add an authenticator app first.",
  INTERNAL: "Something went wrong on our side. Please try again.",
  // Trusted networks (issue 11)
  TRUSTED_NETWORKS_PLAN_REQUIRED:
    "Trusted networks are part of the Professional and Enterprise plans. Ask the owner to request an upgrade from the dashboard.",
  TRUSTED_NETWORK_LIMIT: "An organization can trust at most 100 networks. Remove one, or use a wider range.",
  // Passwords (issue 10 items 1 and 2)
  PASSWORD_NOT_SET:
    "Your account signs in through your organization's single sign-on and has no Twofold password to change.",
  PASSWORD_RESET_INVALID: "This password reset link is not valid. Ask for a new one from the sign-in page.",
  PASSWORD_RESET_EXPIRED: "This password reset link has expired (links work for 30 minutes). Ask for a new one.",
  PASSWORD_RESET_USED: "This password reset link has already been used. Sign in, or ask for a new link.",
  PASSWORD_RESET_RATE_LIMITED: "Too many password reset requests from your network.",
  // Lockouts (issue 9 item 3)
  TEAMMATE_NOT_LOCKED: "This teammate's sign-in is not locked: there is nothing to unlock.",
  // org-policy, audit, outbox (and accounts): messages of one form field, thrown as `fields: { field: CODE }`
  EXEMPTION_DAYS_RANGE: "Choose between 1 and 30 days.",
  EXEMPTION_REASON_LENGTH: "Give a reason of 3 to 200 characters.",
  GRACE_DAYS_RANGE: "Choose a grace period of 1 to 30 days.",
  METHODS_EMPTY: "Allow at least one method.",
  METHOD_UNAVAILABLE: "SMS is not available yet: allow the authenticator app.",
  CONFIRM_SOLE_ADMIN:
    "Tick this box to confirm that you accept being the only one who can reset 2FA here, or ask another administrator to set up 2FA first.",
  EMAIL_TAKEN_FIELD: "An account with this email already exists.",
  // SMS codes (issue 12 items 4–6: lib/services/sms/codes.ts)
  SMS_LIMITED: "Too many text messages were sent.",
  SMS_COUNTRY_NOT_ALLOWED:
    "Text messages cannot be sent to phone numbers in this country here. Use an authenticator app, or ask your organization's owner to allow the country.",
  SMS_NOT_ENABLED: "There is no phone number for text messages on this account.",
} as const;

export type ErrorCode = keyof typeof errorMessages;

export class DomainError extends Error {
  readonly code: ErrorCode;
  /** Optional per-field messages (field name → message) for forms. */
  readonly fields?: Record<string, string>;
  /** Optional extra text appended to the message (e.g. "Try again after 14:05."). */
  readonly detail?: string;
  /** Optional: when the refused request may be made again (e.g. SMS_LIMITED). */
  readonly retryAt?: Date;

  /** `fields` maps a field to an ErrorCode (turned into its words here) or, still, to words. */
  constructor(
    code: ErrorCode,
    opts: { fields?: Record<string, string>; detail?: string; cause?: unknown; retryAt?: Date } = {},
  ) {
    super(opts.detail ? `${errorMessages[code]} ${opts.detail}` : errorMessages[code], { cause: opts.cause });
    this.name = "DomainError";
    this.code = code;
    this.fields = opts.fields && fieldWords(opts.fields);
    this.detail = opts.detail;
    if (opts.retryAt) this.retryAt = opts.retryAt;
  }
}

/** The detail of RATE_LIMITED for a password attempt: until when, in the person's time zone (null: the cycle is full
 *  of attempts in flight). */
export function rateLimitDetail(until: Date | null, timeZone = UTC, now = new Date()): string {
  if (!until) return "Too many sign-in attempts are being checked at once. Wait a minute and try again.";
  return `Try again after ${formatTime(until, timeZone, now)}, or ask your administrator to unlock your account.`;
}

/** "7 attempts left before …" (shown from the third failure on, issue 10 item 5): from the limiter's real state. */
export function attemptsLeftText(n: number, what: "two-factor" | "password"): string {
  const lock = what === "two-factor" ? "two-factor sign-in is locked" : "sign-in is paused";
  return `${n} attempt${n === 1 ? "" : "s"} left before ${lock}.`;
}

function fieldWords(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [k, Object.hasOwn(errorMessages, v) ? errorMessages[v as ErrorCode] : v]),
  );
}

/** The detail of PASSWORD_RESET_RATE_LIMITED: when to ask again (null: many requests are being handled at once). */
export function passwordResetRateLimitDetail(until: Date | null, timeZone = UTC, now = new Date()): string {
  if (!until) return "Wait a minute and try again.";
  return `Try again after ${formatTime(until, timeZone, now)}.`;
}

/** The detail of REMINDER_RATE_LIMITED: when the last reminder went out and when the next one may. */
export function reminderRateLimitDetail(last: Date, next: Date, timeZone = UTC): string {
  const hhmm = (d: Date) => formatTime(d, timeZone, last);
  return `The last one went out at ${hhmm(last)}; you can send another after ${hhmm(next)}.`;
}

export function isDomainError(e: unknown, code?: ErrorCode): e is DomainError {
  return e instanceof DomainError && (code === undefined || e.code === code);
}

export const httpStatus: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  SESSION_EXPIRED: 401,
  FORBIDDEN: 403,
  CROSS_ORIGIN: 403,
  OWNER_PROTECTED: 403,
  OWNERSHIP_NOT_OWNER: 403,
  STEP_UP_REQUIRED: 403,
  NOT_ON_YOURSELF: 403,
  REMINDER_RATE_LIMITED: 429,
  UPGRADE_REQUEST_RECENT: 429,
  TWO_FACTOR_SETUP_REQUIRED: 403,
  PLAN_REQUIRED: 403,
  TRUSTED_NETWORKS_PLAN_REQUIRED: 403,
  ENFORCE_REQUIRES_OWN_TWO_FACTOR: 403,
  POLICY_STALE: 409,
  POLICY_REQUIRES_TWO_FACTOR: 403,
  EMAIL_CODE_RATE_LIMITED: 429,
  SSO_NOT_CONFIGURED: 404,
  SSO_EMAIL_UNVERIFIED: 403,
  SSO_PASSWORD_ACCOUNT: 403,
  SSO_NOT_MEMBER: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  ACCOUNT_CREATED_MEANWHILE: 409,
  RATE_LIMITED: 429,
  SECOND_FACTOR_LOCKED: 429,
  REENROLLMENT_INVALID: 404,
  REENROLLMENT_EXPIRED: 410,
  REENROLLMENT_USED: 410,
  PASSWORD_NOT_SET: 403,
  PASSWORD_RESET_INVALID: 404,
  PASSWORD_RESET_EXPIRED: 410,
  PASSWORD_RESET_USED: 410,
  PASSWORD_RESET_RATE_LIMITED: 429,
  CURRENT_FACTOR_REQUIRED: 403,
  TEAMMATE_IN_OTHER_ORGANIZATION: 403,
  STEP_UP_NEEDS_OWN_TWO_FACTOR: 403,
  LOCKOUT_CONFIRMATION_REQUIRED: 409,
  SMS_LIMITED: 429,
  SMS_COUNTRY_NOT_ALLOWED: 403,
};

// two-factor and teammates: the words of field messages and details that these services attach to a code. Services
// name a key (`fieldError("INVALID_CODE", { code: "TOTP_CODE_WRONG" })`); the sentences live here.
export const fieldMessages = {
  TOTP_CODE_FORMAT: "Enter the 6-digit code from your authenticator app.",
  RECOVERY_CODE_FORMAT: "Enter a recovery code like 7hq2k-9xv3m-c4pwd-r8tne.",
  TOTP_CODE_USED: "This code was already used. Wait for the next code in your app.",
  RECOVERY_CODE_WRONG: "That recovery code is not valid or was already used.",
  TOTP_CODE_WRONG:
    "That code is not right. Check that your phone's time is set automatically and enter the current code.",
  NEW_TOTP_CODE_WRONG: "That code does not match the new key. Scan the QR code again and enter the current code.",
  CURRENT_PASSWORD_REQUIRED: "Enter your current password.",
  PASSWORD_WRONG: "That password is not right.",
  EMAIL_CODE_REQUIRED: "Enter the code we emailed you.",
  EMAIL_CODE_INVALID: "That email code is not right or has expired. Send a new code and try again.",
  CURRENT_FACTOR_REQUIRED:
    "Enter a code from your current authenticator app, or one of your recovery codes if you no longer have it.",
  STEP_UP_CODE: "Enter a code from your authenticator app (or a recovery code) to continue.",
  ALREADY_MEMBER: "This person is already a member.",
  ACCOUNT_PASSWORD_WRONG: "That is not the password of this account.",
  NAME_REQUIRED: "Enter your name.",
  PASSWORD_TOO_WEAK: "Choose a stronger password.",
  OWNERSHIP_TARGET_INVALID: "Choose an active administrator of this organization.",
  // A phone for SMS codes (issue 12)
  PHONE_CODE_REQUIRED: "Enter the 6-digit code from the text message.",
  // Passwords (issue 10 items 1 and 2)
  NEW_PASSWORD_SAME: "Choose a password different from your current one.",
  // SMS codes (issue 12)
  SMS_CODE_FORMAT: "Enter the 6-digit code from the text message.",
  SMS_CODE_WRONG: "That code is not right or has expired. Check the latest text, or send a new code.",
} as const;
export type FieldMessageKey = keyof typeof fieldMessages;

/** A DomainError whose per-field messages are keys of `fieldMessages` (or, for words from a validation schema, the
 *  words themselves). */
export function fieldError(
  code: ErrorCode,
  fields: Record<string, FieldMessageKey | { text: string }>,
  opts: { detail?: string; cause?: unknown } = {},
): DomainError {
  const words = Object.fromEntries(
    Object.entries(fields).map(([field, m]) => [field, typeof m === "string" ? fieldMessages[m] : m.text]),
  );
  return new DomainError(code, { ...opts, fields: words });
}

/** VALIDATION for input a service checked again (S45): the first issue's message on its field (`fallback` without one). */
export function inputError(issues: readonly { path: readonly PropertyKey[]; message: string }[], fallback: string) {
  const issue = issues[0];
  return fieldError("VALIDATION", {
    [String(issue?.path[0] ?? fallback)]: { text: issue?.message ?? "Check this value." },
  });
}

export const detailMessages = {
  OWN_ROLE: "You cannot change your own role.",
  NOTHING_TO_RESET: "There is nothing to reset.",
  RECOVERY_CODES_NEED_AUTHENTICATOR:
    "Recovery codes are a backup for an authenticator app: ask them to set one up first.",
} as const;

/** The detail of SECOND_FACTOR_LOCKED: until when (in the person's time zone), and how to get help (null: the cycle is
 *  full of attempts). */
export function secondFactorLockDetail(until: Date | null, timeZone = UTC, now = new Date()): string {
  if (!until) return "Too many codes are being checked for this account at once. Wait a minute and try again.";
  const hardLocked = until.getTime() - now.getTime() > 7 * 24 * 3600_000;
  if (hardLocked) {
    return "Too many wrong codes: two-factor sign-in is locked for this account. Ask your organization's owner or an administrator to unlock your account, or to reset your two-factor authentication.";
  }
  return `Too many wrong codes. Try again after ${formatTime(until, timeZone, now)} (you can then also use a recovery code), or ask an administrator to unlock your account. If you have lost your authenticator, ask an administrator to reset your two-factor authentication.`;
}

/** The detail of POLICY_REQUIRES_TWO_FACTOR: which organization requires it and who can reset it. */
export function policyRequiresTwoFactorDetail(organizationName: string, helpers: string): string {
  return `${organizationName} requires it. If you lost your authenticator, ask an administrator of ${organizationName}${helpers ? ` — ${helpers} —` : ""} to reset it for you.`;
}

/** The detail of TEAMMATE_IN_OTHER_ORGANIZATION: how the teammate can help themselves. */
export function teammateInOtherOrganizationDetail(teammateName: string): string {
  return `${teammateName} can reset it themselves: sign in with one of their recovery codes, then move 2FA to a new app in Profile › Security. If they have no recovery codes left, the owner of their other organization can help.`;
}

/** The field message of OWNERSHIP_TARGET_NO_TWO_FACTOR. */
export function ownershipTargetNoTwoFactorField(targetName: string): string {
  return `${targetName} has not turned on two-factor authentication yet.`;
}
