import { CallToAction, EmailLayout, formatWhen, P } from "./layout";

export interface InvitationData {
  organizationName: string;
  inviterName: string;
  role: string;
  acceptUrl: string;
  /** ISO 8601 */
  expiresAt: string;
}

export function roleLabel(role: string): string {
  const r = role.toLowerCase();
  return `${/^[aeiou]/.test(r) ? "an" : "a"} ${r}`;
}

export function InvitationEmail({ organizationName, inviterName, role, acceptUrl, expiresAt }: InvitationData) {
  return (
    <EmailLayout
      preview={`${inviterName} invited you to join ${organizationName} on Twofold.`}
      heading={`Join ${organizationName} on Twofold`}
      footer="You are receiving this email because someone invited this address. If you did not expect it, ignore it: no account is created until you accept."
    >
      <P>
        {inviterName} invited you to join <strong>{organizationName}</strong> as {roleLabel(role)}. Accept the
        invitation to choose your password and set up two-factor authentication.
      </P>
      <CallToAction href={acceptUrl}>Accept invitation</CallToAction>
      <P htmlOnly>Or copy this link into your browser: {acceptUrl}</P>
      <P>This invitation expires on {formatWhen(expiresAt)} and can be used once.</P>
    </EmailLayout>
  );
}
