import { Details, device, EmailLayout, formatWhen, P } from "./layout";

// Notices about changes to (or attacks on) a person's second factor. One component, one copy table: adding a
// notice is one entry here and one in ./index.ts.

export interface SecurityEventData {
  name: string;
  ip?: string;
  userAgent?: string;
  /** ISO 8601 */
  at: string;
}
export interface RecoveryCodeUsedData extends SecurityEventData {
  remaining: number;
}
export interface SecondFactorFailuresData extends SecurityEventData {
  failures: number;
}
/** Issue 11: a first sign-in from a new device or country; `place` is the approximate place (a country name). */
export interface NewSignInData extends SecurityEventData {
  place: string;
  device: string;
}
/** A phone for SMS codes added, changed or removed (issue 12): only the last four digits are ever mailed. */
export interface PhoneEventData extends SecurityEventData {
  /** Last four digits of the number concerned (the new one for a change). */
  phoneLast4: string;
  /** A change: the last four digits of the number replaced. */
  previousLast4?: string;
  /** Whether the account still has a second factor after the change. */
  stillProtected?: boolean;
}

export type SecurityNoticeKind =
  | "two-factor-enabled"
  | "two-factor-disabled"
  | "recovery-codes-regenerated"
  | "two-factor-replaced"
  | "recovery-code-used"
  | "totp-replay"
  | "second-factor-failures"
  | "new-sign-in"
  | "phone-added"
  | "phone-changed"
  | "phone-removed"
  | "app-removed";

type Copy = { subject: string; heading: string; body: (d: SecurityNoticeData) => string; ifNotYou: string };
type SecurityNoticeData = SecurityEventData & {
  remaining?: number;
  failures?: number;
  place?: string;
  device?: string;
  phoneLast4?: string;
  previousLast4?: string;
  stillProtected?: boolean;
};

const RESET = "change your password and contact your organization's administrator right away.";

export const securityCopy: Record<SecurityNoticeKind, Copy> = {
  "two-factor-enabled": {
    subject: "Two-factor authentication is now on",
    heading: "Two-factor authentication is on",
    body: () =>
      "Your account now asks for a code from your authenticator app after your password. Keep your recovery codes somewhere safe: they are the way back in if you lose your phone.",
    ifNotYou: `If you did not do this, ${RESET}`,
  },
  "two-factor-disabled": {
    subject: "Two-factor authentication was turned off",
    heading: "Two-factor authentication was turned off",
    body: () =>
      "Your account no longer asks for a second factor, and your recovery codes no longer work. Your other sessions were signed out.",
    ifNotYou: `If you did not do this, ${RESET}`,
  },
  "two-factor-replaced": {
    subject: "You moved two-factor authentication to a new phone",
    heading: "Your authenticator app was replaced",
    body: () =>
      "Your account now accepts codes only from the authenticator app you just set up: the old app's codes no longer work. Your recovery codes were replaced too: the old ones no longer work, use the new set shown when you confirmed. Your other sessions were signed out.",
    ifNotYou: `If you did not do this, ${RESET}`,
  },
  "recovery-codes-regenerated": {
    subject: "New recovery codes were created",
    heading: "New recovery codes were created",
    body: () => "A new set of recovery codes was created for your account. Your previous codes no longer work.",
    ifNotYou: `If you did not do this, ${RESET}`,
  },
  "recovery-code-used": {
    subject: "A recovery code was used on your account",
    heading: "A recovery code was used",
    body: (d) =>
      `One of your recovery codes was just used instead of your authenticator app. It cannot be used again. ${
        d.remaining === 1 ? "1 recovery code remains" : `${d.remaining ?? 0} recovery codes remain`
      }.${(d.remaining ?? 0) <= 3 ? " Create a new set from your security settings soon." : ""}`,
    ifNotYou: `If this was not you, someone has your password and a recovery code: ${RESET}`,
  },
  "totp-replay": {
    subject: "Someone reused one of your sign-in codes",
    heading: "A sign-in code was reused",
    body: () =>
      "A code from your authenticator app was submitted again after it had already been used, and it was refused. This can mean someone watched or intercepted a code you typed.",
    ifNotYou: `If you did not just sign in twice, ${RESET}`,
  },
  "second-factor-failures": {
    subject: "Repeated failed two-factor attempts on your account",
    heading: "Repeated wrong codes after a correct password",
    body: (d) =>
      `Someone entered your correct password, then ${d.failures ?? "several"} wrong two-factor codes in a row. Your second factor stopped them.`,
    ifNotYou: `If this was not you, your password is known to someone else: ${RESET}`,
  },
  "new-sign-in": {
    subject: "New sign-in to your Twofold account",
    heading: "New sign-in to your account",
    body: (d) =>
      `Your account was just signed in to from ${d.device ?? "a device"} in ${d.place ?? "an unknown location"}, a device or place we had not seen for you before. The password and your second factor were both given.`,
    ifNotYou: "Not you? Reset your password now and tell your organization's administrator.",
  },
  "phone-added": {
    subject: "A phone was added for sign-in codes",
    heading: "A phone number was added to your account",
    body: (d) =>
      `Sign-in codes can now be sent by text message to the number ending in ${d.phoneLast4 ?? "····"}. An authenticator app is stronger than text messages: consider adding one in your security settings. Your other sessions were signed out.`,
    ifNotYou: `If you did not do this, ${RESET}`,
  },
  "phone-changed": {
    subject: "Your phone number for sign-in codes was changed",
    heading: "Your phone number was changed",
    body: (d) =>
      `Sign-in codes now go by text message to the number ending in ${d.phoneLast4 ?? "····"}${d.previousLast4 ? `, no longer to the number ending in ${d.previousLast4}` : ""}. Your other sessions were signed out.`,
    ifNotYou: `If you did not do this, ${RESET}`,
  },
  "phone-removed": {
    subject: "Your phone was removed from two-factor authentication",
    heading: "Text-message codes were turned off",
    body: (d) =>
      `Sign-in codes are no longer sent to the number ending in ${d.phoneLast4 ?? "····"}. ${
        d.stillProtected
          ? "Your authenticator app still protects your account."
          : "Your account no longer asks for a second factor, and your recovery codes no longer work."
      } Your other sessions were signed out.`,
    ifNotYou: `If you did not do this, ${RESET}`,
  },
  "app-removed": {
    subject: "Your authenticator app was removed",
    heading: "Your authenticator app was removed",
    body: () =>
      "Your account no longer accepts codes from your authenticator app. Two-factor authentication stays on with your phone: sign-in codes come by text message, and your recovery codes still work. Your other sessions were signed out.",
    ifNotYou: `If you did not do this, ${RESET}`,
  },
};

export function SecurityNoticeEmail({ kind, data }: { kind: SecurityNoticeKind; data: SecurityNoticeData }) {
  const copy = securityCopy[kind];
  return (
    <EmailLayout preview={copy.subject} heading={copy.heading}>
      <P>Hello {data.name},</P>
      <P>{copy.body(data)}</P>
      <Details
        rows={[
          ["When", formatWhen(data.at)],
          ["Approximate place", data.place],
          ["IP address", data.ip],
          ["Device", device(data.userAgent)],
        ]}
      />
      <P>{copy.ifNotYou}</P>
    </EmailLayout>
  );
}
