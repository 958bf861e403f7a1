import { CallToAction, Details, EmailLayout, formatWhen, P } from "./layout";

// Passwords (issue 10 items 1 and 2): the "forgot password" link, and the notice that a password was changed (from
// Profile > Security, or with such a link).

export interface PasswordResetData {
  name: string;
  /** The single-use link (sealed in the outbox row, S41). */
  resetUrl: string;
  /** ISO 8601 */
  expiresAt: string;
  /** Where the request came from. */
  ip?: string;
  /** ISO 8601 */
  at: string;
}

export function PasswordResetEmail({ name, resetUrl, expiresAt, ip, at }: PasswordResetData) {
  return (
    <EmailLayout preview="Set a new password for your Twofold account." heading="Reset your password">
      <P>Hello {name},</P>
      <P>Someone asked to reset the password of your Twofold account. If it was you, choose a new password here:</P>
      <CallToAction href={resetUrl}>Choose a new password</CallToAction>
      <P htmlOnly>Or copy this link into your browser: {resetUrl}</P>
      <P>
        This link works once and expires on {formatWhen(expiresAt)}. Setting a new password signs you out on every
        device. Two-factor authentication stays on: you will still be asked for a code when you sign in.
      </P>
      <Details
        rows={[
          ["Requested", formatWhen(at)],
          ["IP address", ip],
        ]}
      />
      <P>If you did not ask for this, ignore this mail: your password stays as it is.</P>
    </EmailLayout>
  );
}

export interface PasswordChangedData {
  name: string;
  /** "changed": from Profile > Security; "reset": with an emailed link. */
  how: "changed" | "reset";
  /** Sessions signed out by the change. */
  sessionsRevoked: number;
  ip?: string;
  userAgent?: string;
  /** ISO 8601 */
  at: string;
}

export const passwordChangedSubject = () => "Your Twofold password was changed";

export function PasswordChangedEmail({ name, how, sessionsRevoked, ip, userAgent, at }: PasswordChangedData) {
  const signedOut =
    how === "reset"
      ? "You were signed out on every device."
      : sessionsRevoked === 0
        ? "The device you used stays signed in."
        : `${sessionsRevoked === 1 ? "1 other session was" : `${sessionsRevoked} other sessions were`} signed out; the device you used stays signed in.`;
  return (
    <EmailLayout preview="Your Twofold password was changed." heading="Your password was changed">
      <P>Hello {name},</P>
      <P>
        {how === "reset"
          ? "The password of your Twofold account was changed with a reset link sent to this address."
          : "The password of your Twofold account was changed from your security settings."}{" "}
        {signedOut} Two-factor authentication was not changed.
      </P>
      <Details
        rows={[
          ["When", formatWhen(at)],
          ["IP address", ip],
          ["Device", userAgent],
        ]}
      />
      <P>
        If you did not do this, reset your password from the sign-in page ("Forgot password?") and contact your
        organization's administrator right away.
      </P>
    </EmailLayout>
  );
}
