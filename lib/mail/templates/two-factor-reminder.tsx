import { CallToAction, Details, EmailLayout, formatWhen, P } from "./layout";

// To a teammate who has not set up two-factor authentication yet, sent by an administrator from Settings > Users
// (at most once an hour per teammate): who asks, and the link to the setup page.

export interface TwoFactorReminderData {
  name: string;
  adminName: string;
  organizationName: string;
  setupUrl: string;
  /** ISO 8601: the end of the teammate's exemption from the requirement, when they have one. */
  exemptUntil?: string;
}

export function TwoFactorReminderEmail({
  name,
  adminName,
  organizationName,
  setupUrl,
  exemptUntil,
}: TwoFactorReminderData) {
  return (
    <EmailLayout
      preview={`${adminName} asks you to set up two-factor authentication for ${organizationName}.`}
      heading="Please set up two-factor authentication"
    >
      <P>Hello {name},</P>
      <P>
        {adminName}, an administrator of <strong>{organizationName}</strong>, asks you to protect your account with
        two-factor authentication. It takes two minutes: sign in, scan a QR code with an authenticator app (Google
        Authenticator, Microsoft Authenticator, 1Password, Authy…) and enter the code it shows.
      </P>
      <Details
        rows={[
          ["Requested by", adminName],
          ["Organization", organizationName],
          ["Exempt until", exemptUntil ? formatWhen(exemptUntil) : undefined],
        ]}
      />
      <CallToAction href={setupUrl}>Set up two-factor authentication</CallToAction>
      <P htmlOnly>Or copy this link into your browser: {setupUrl}</P>
      <P>If you are not sure this message is genuine, sign in to Twofold yourself instead of using the link.</P>
    </EmailLayout>
  );
}
