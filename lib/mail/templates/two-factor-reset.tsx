import { CallToAction, Details, EmailLayout, formatWhen, P } from "./layout";

// To a teammate whose two-factor authentication an administrator reset (S28): who, when, what happened to their
// sessions, and the single-use link to set up a new authenticator app.

export interface TwoFactorResetData {
  name: string;
  adminName: string;
  organizationName: string;
  /** ISO 8601 */
  at: string;
  reEnrollUrl: string;
  /** ISO 8601 */
  expiresAt: string;
}

export function TwoFactorResetEmail({
  name,
  adminName,
  organizationName,
  at,
  reEnrollUrl,
  expiresAt,
}: TwoFactorResetData) {
  return (
    <EmailLayout
      preview={`${adminName} reset your two-factor authentication. Set up your authenticator app again.`}
      heading="Your two-factor authentication was reset"
    >
      <P>Hello {name},</P>
      <P>
        {adminName}, an administrator of <strong>{organizationName}</strong>, reset two-factor authentication on your
        account. Your authenticator app and your recovery codes no longer work, and you were signed out everywhere.
      </P>
      <Details
        rows={[
          ["Reset by", adminName],
          ["Organization", organizationName],
          ["When", formatWhen(at)],
        ]}
      />
      <P>
        What to do next: open the link below, enter your password, and set up your authenticator app again. You will get
        new recovery codes when you finish.
      </P>
      <CallToAction href={reEnrollUrl}>Set up two-factor authentication</CallToAction>
      <P htmlOnly>Or copy this link into your browser: {reEnrollUrl}</P>
      <P>This link works once and expires on {formatWhen(expiresAt)}.</P>
      <P>
        If you did not ask for this, contact {adminName} or another administrator of {organizationName} right away.
      </P>
    </EmailLayout>
  );
}
