import { Details, EmailLayout, formatWhen, P } from "./layout";

// To a teammate an administrator signed out of every device (issue 10 item 3, S23): who, when, and that nothing else
// about their account changed.

export interface SignedOutByAdminData {
  name: string;
  adminName: string;
  organizationName: string;
  /** ISO 8601 */
  at: string;
  sessionsRevoked: number;
}

export function signedOutByAdminSubject(d: SignedOutByAdminData): string {
  return `An administrator of ${d.organizationName} signed you out of all devices`;
}

export function SignedOutByAdminEmail({
  name,
  adminName,
  organizationName,
  at,
  sessionsRevoked,
}: SignedOutByAdminData) {
  return (
    <EmailLayout
      preview={`${adminName} signed you out of Twofold on all devices.`}
      heading="An administrator signed you out of all devices"
    >
      <P>Hello {name},</P>
      <P>
        {adminName}, an administrator of <strong>{organizationName}</strong>, signed you out of Twofold on every device
        and browser
        {sessionsRevoked === 1 ? " (1 session)" : sessionsRevoked > 1 ? ` (${sessionsRevoked} sessions)` : ""}.
      </P>
      <Details
        rows={[
          ["Signed out by", adminName],
          ["Organization", organizationName],
          ["When", formatWhen(at)],
        ]}
      />
      <P>
        Nothing else changed: your password, your two-factor authentication and your recovery codes work as before. Sign
        in again to continue.
      </P>
      <P>
        If you do not know why, ask {adminName} or another administrator of {organizationName}. If you think someone
        else used your account, change your password after signing in.
      </P>
    </EmailLayout>
  );
}
