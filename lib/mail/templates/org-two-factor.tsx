import { CallToAction, Details, EmailLayout, formatWhen, P } from "./layout";

// Organization 2FA requirement notices (issue 4): sent to every member when an administrator turns the requirement
// on or off, to members without 2FA when the rules for them change, as deadline reminders during a grace period, and
// when the deadline passed and signed them out (issue 10 item 4).

export type OrgTwoFactorKind =
  | "required"
  | "enrol"
  | "changed"
  | "reminder"
  | "deadline-passed"
  | "not-required"
  /** The organization stopped exempting members who sign in through its SSO; this one has no second factor yet. */
  | "sso-exemption-removed";
export type OrgTwoFactorMode = "NOW" | "NEXT_SIGN_IN" | "GRACE";

export interface OrgTwoFactorData {
  kind: OrgTwoFactorKind;
  name: string;
  organizationName: string;
  adminName?: string;
  mode?: OrgTwoFactorMode;
  /** ISO 8601, for a grace period. */
  deadline?: string;
  daysLeft?: number;
  setupUrl?: string;
}

export function orgTwoFactorSubject(d: OrgTwoFactorData): string {
  switch (d.kind) {
    case "required":
      return `${d.organizationName} now requires two-factor authentication`;
    case "enrol":
      return `Action needed: set up two-factor authentication for ${d.organizationName}`;
    case "changed":
      return `The two-factor deadline for ${d.organizationName} changed`;
    case "reminder":
      return `${d.daysLeft === 1 ? "1 day" : `${d.daysLeft} days`} left to set up two-factor authentication for ${d.organizationName}`;
    case "deadline-passed":
      return `The deadline passed: set up two-factor authentication to keep using ${d.organizationName}`;
    case "not-required":
      return `${d.organizationName} no longer requires two-factor authentication`;
    case "sso-exemption-removed":
      return `Action needed: single sign-on no longer exempts you from two-factor authentication in ${d.organizationName}`;
  }
}

function whatHappens(d: OrgTwoFactorData): string {
  if (d.mode === "NOW")
    return "You have been signed out. When you next sign in, you will set up two-factor authentication before anything else.";
  if (d.mode === "NEXT_SIGN_IN")
    return "You can keep working for now. The next time you sign in, you will set it up before anything else.";
  return `You can set it up any time before the deadline${d.deadline ? ` (${formatWhen(d.deadline)})` : ""}. After the deadline you will be signed out and asked to set it up at your next sign-in.`;
}

export function OrgTwoFactorEmail(d: OrgTwoFactorData) {
  const subject = orgTwoFactorSubject(d);
  const rows: Array<[string, string | undefined]> = [
    ["Organization", d.organizationName],
    ["Changed by", d.adminName],
    ["Deadline", d.deadline ? formatWhen(d.deadline) : undefined],
  ];
  return (
    <EmailLayout preview={subject} heading={subject}>
      <P>Hello {d.name},</P>
      {d.kind === "required" ? (
        <P>
          {d.adminName ?? "An administrator"} now requires two-factor authentication for everyone in{" "}
          <strong>{d.organizationName}</strong>. Your account already uses it: there is nothing for you to do. Keep your
          recovery codes somewhere safe.
        </P>
      ) : null}
      {d.kind === "enrol" || d.kind === "changed" || d.kind === "sso-exemption-removed" ? (
        <>
          <P>
            {d.kind === "enrol"
              ? `${d.adminName ?? "An administrator"} now requires two-factor authentication for everyone in ${d.organizationName}, and your account does not use it yet.`
              : d.kind === "sso-exemption-removed"
                ? `Until now, signing in through ${d.organizationName}'s single sign-on (SSO) counted instead of two-factor authentication. ${d.adminName ?? "An administrator"} changed that: you must now set up two-factor authentication for your Twofold account as well.`
                : `${d.adminName ?? "An administrator"} changed how ${d.organizationName} enforces two-factor authentication, and your account does not use it yet.`}
          </P>
          <P>{whatHappens(d)}</P>
          <P>
            It takes two minutes: sign in, scan a QR code with an authenticator app (Google Authenticator, Microsoft
            Authenticator, 1Password, Authy…), enter the code it shows and the code we email you.
          </P>
        </>
      ) : null}
      {d.kind === "reminder" ? (
        <P>
          Your account still does not use two-factor authentication, which <strong>{d.organizationName}</strong>{" "}
          requires.
          {` ${d.daysLeft === 1 ? "1 day is" : `${d.daysLeft} days are`} left. `}
          After the deadline you will be signed out and asked to set it up at your next sign-in.
        </P>
      ) : null}
      {d.kind === "deadline-passed" ? (
        <>
          <P>
            The deadline to set up two-factor authentication for <strong>{d.organizationName}</strong> has passed, and
            your account still does not use it. You have been signed out of every session.
          </P>
          <P>
            The next time you sign in, you will set up two-factor authentication before anything else. It takes two
            minutes with an authenticator app (Google Authenticator, Microsoft Authenticator, 1Password, Authy…).
          </P>
        </>
      ) : null}
      {d.kind === "not-required" ? (
        <P>
          {d.adminName ?? "An administrator"} turned off the two-factor requirement for{" "}
          <strong>{d.organizationName}</strong>. If you set up two-factor authentication, it stays on for your account:
          we recommend keeping it.
        </P>
      ) : null}
      <Details rows={rows} />
      {d.setupUrl ? (
        <>
          <CallToAction href={d.setupUrl}>Set up two-factor authentication</CallToAction>
          <P htmlOnly>Or copy this link into your browser: {d.setupUrl}</P>
        </>
      ) : null}
      <P>If you are not sure this message is genuine, sign in to Twofold yourself instead of using the link.</P>
    </EmailLayout>
  );
}
