import { Details, EmailLayout, P } from "./layout";

// A one-time code proving access to the mailbox before two-factor setup that an organization requires (issue 4 §5:
// someone holding only a stolen password cannot bind their own authenticator).

export interface EmailCodeData {
  name: string;
  code: string;
  minutes: number;
  ip?: string;
}

export function EmailCodeEmail({ name, code, minutes, ip }: EmailCodeData) {
  return (
    <EmailLayout preview={`Your Twofold setup code: ${code}`} heading="Your code to set up two-factor authentication">
      <P>Hello {name},</P>
      <P>
        Enter this code on the setup page to confirm it is you. It works once, for {minutes} minutes:{" "}
        <strong style={{ fontSize: "20px", letterSpacing: "4px" }}>{code}</strong>
      </P>
      <Details rows={[["Requested from", ip]]} />
      <P>
        If you did not try to set up two-factor authentication, someone may know your password: change it, and tell your
        administrator.
      </P>
    </EmailLayout>
  );
}
