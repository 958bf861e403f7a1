import { CallToAction, Details, device, EmailLayout, formatWhen, P } from "./layout";

// B4: the owners and administrators of an organization hear when a member signs in with a recovery code (the member
// may have lost their phone, or someone may have their password and a code). Each organization can turn it off.

export interface RecoveryCodeAdminAlertData {
  /** The administrator this mail goes to. */
  name: string;
  memberName: string;
  memberEmail: string;
  organizationName: string;
  /** Unused recovery codes the member has left. */
  remaining: number;
  ip?: string;
  userAgent?: string;
  /** ISO 8601 */
  at: string;
  usersUrl?: string;
  settingsUrl?: string;
}

export const recoveryCodeAdminAlertSubject = (d: RecoveryCodeAdminAlertData) =>
  `${d.memberName} signed in to ${d.organizationName} with a recovery code`;

export function RecoveryCodeAdminAlertEmail(d: RecoveryCodeAdminAlertData) {
  const subject = recoveryCodeAdminAlertSubject(d);
  return (
    <EmailLayout
      preview={subject}
      heading="A member signed in with a recovery code"
      footer={`You are receiving this email because you are an administrator of ${d.organizationName}, which alerts administrators when a member uses a recovery code.`}
    >
      <P>Hello {d.name},</P>
      <P>
        {d.memberName} ({d.memberEmail}) signed in to <strong>{d.organizationName}</strong> with one of their recovery
        codes instead of their authenticator app.{" "}
        {d.remaining === 1 ? "1 recovery code remains" : `${d.remaining} recovery codes remain`}.
      </P>
      <Details
        rows={[
          ["Member", `${d.memberName} (${d.memberEmail})`],
          ["When", formatWhen(d.at)],
          ["IP address", d.ip],
          ["Device", device(d.userAgent)],
        ]}
      />
      <P>
        This is often someone who lost or replaced their phone. Check with {d.memberName} through a channel you trust
        (not a reply to this email). If they did not sign in, reset their two-factor authentication and sign them out
        from the Users page.
      </P>
      {d.usersUrl ? <CallToAction href={d.usersUrl}>Open Users</CallToAction> : null}
      {d.settingsUrl ? (
        <P>
          Owners and administrators can turn these alerts off in Settings › Organization security ({d.settingsUrl}).
        </P>
      ) : null}
    </EmailLayout>
  );
}
