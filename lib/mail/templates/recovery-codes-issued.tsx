import { Section, Text } from "@react-email/components";
import { Details, EmailLayout, formatWhen, P } from "./layout";

// New recovery codes an administrator created for a teammate. They go only to the teammate (S27): the administrator
// never sees them.

export interface RecoveryCodesIssuedData {
  name: string;
  adminName: string;
  organizationName: string;
  /** ISO 8601 */
  at: string;
  /** Display form (`xxxxx-xxxxx-xxxxx-xxxxx`). */
  codes: string[];
}

const codeBox = {
  backgroundColor: "#f8fafc",
  border: "1px solid #e2e8f0",
  borderRadius: "8px",
  padding: "12px 16px",
  margin: "4px 0 16px",
};
const codeLine = {
  margin: "0 0 4px",
  fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
  fontSize: "15px",
  lineHeight: "22px",
  color: "#0f172a",
};

export function RecoveryCodesIssuedEmail({ name, adminName, organizationName, at, codes }: RecoveryCodesIssuedData) {
  return (
    <EmailLayout
      preview={`${adminName} created new recovery codes for your Twofold account.`}
      heading="Your new recovery codes"
      footer="You are receiving this email because an administrator created recovery codes for your account."
    >
      <P>Hello {name},</P>
      <P>
        {adminName}, an administrator of <strong>{organizationName}</strong>, created a new set of recovery codes for
        your account. Your previous recovery codes no longer work. Your authenticator app still works as before.
      </P>
      <Details
        rows={[
          ["Created by", adminName],
          ["When", formatWhen(at)],
        ]}
      />
      <P>
        Each code below works once, instead of a code from your authenticator app. Save them in a password manager or
        print them, then delete this email.
      </P>
      <Section style={codeBox}>
        {codes.map((code) => (
          <Text key={code} style={codeLine}>
            {code}
          </Text>
        ))}
      </Section>
      <P>
        If you did not ask for new codes, contact {adminName} or another administrator of {organizationName} right away.
      </P>
    </EmailLayout>
  );
}
