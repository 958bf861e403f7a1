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

export type SecurityNoticeKind =
  | "two-factor-enabled"
  | "two-factor-disabled"
  | "recovery-codes-regenerated"
  | "two-factor-replaced"
  | "recovery-code-used"
  | "totp-replay"
  | "second-factor-failures"
  | "new-sign-in";

type Copy = { subject: string; heading: string; body: (d: SecurityNoticeData) => string; ifNotYou: string };
type SecurityNoticeData = SecurityEventData & {
  remaining?: number;
  failures?: number;
  place?: string;
  device?: string;
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
