import { CallToAction, Details, EmailLayout, formatWhen, P } from "./layout";

// Exemptions from an organization's two-factor requirement (issue 10, item 8): the member is told when an
// administrator exempts them, changes the end of the exemption, or ends it early.

export type ExemptionKind = "exemption-granted" | "exemption-changed" | "exemption-ended";

export interface ExemptionData {
  name: string;
  organizationName: string;
  adminName: string;
  /** ISO 8601: when the exemption ends (granted, changed). */
  until?: string;
  /** ISO 8601: when it would have ended before this change (changed, ended). */
  previousUntil?: string;
  reason?: string;
  /** ISO 8601 */
  at: string;
  /** The member has no second factor while the organization requires one: they must set it up now (ended). */
  mustSetUp?: boolean;
  /** The account already uses two-factor authentication: nothing changes for the member. */
  hasTwoFactor?: boolean;
  setupUrl?: string;
}

/** "29 November 2026" (UTC, like every date in a mail). */
function day(iso: string | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" }).format(d);
}

export const exemptionSubject = (kind: ExemptionKind) => (d: ExemptionData) => {
  switch (kind) {
    case "exemption-granted":
      return `You are exempt from two-factor authentication in ${d.organizationName} until ${day(d.until)}`;
    case "exemption-changed":
      return `Your two-factor exemption in ${d.organizationName} now ends on ${day(d.until)}`;
    case "exemption-ended":
      return `Your two-factor exemption in ${d.organizationName} has ended`;
  }
};

export function ExemptionEmail({ kind, data: d }: { kind: ExemptionKind; data: ExemptionData }) {
  const subject = exemptionSubject(kind)(d);
  const heading =
    kind === "exemption-granted"
      ? "You have an exemption from two-factor authentication"
      : kind === "exemption-changed"
        ? "Your exemption from two-factor authentication changed"
        : "Your exemption from two-factor authentication ended";
  return (
    <EmailLayout preview={subject} heading={heading}>
      <P>Hello {d.name},</P>
      {kind === "exemption-granted" ? (
        <P>
          {d.adminName}, an administrator of <strong>{d.organizationName}</strong>, exempted you from the organization's
          two-factor requirement until {formatWhen(d.until ?? d.at)}. Until then you can sign in with your password
          alone.
        </P>
      ) : null}
      {kind === "exemption-changed" ? (
        <P>
          {d.adminName}, an administrator of <strong>{d.organizationName}</strong>, changed your exemption from the
          organization's two-factor requirement: it now ends {formatWhen(d.until ?? d.at)}
          {d.previousUntil ? ` instead of ${formatWhen(d.previousUntil)}` : ""}.
        </P>
      ) : null}
      {kind === "exemption-ended" ? (
        <P>
          {d.adminName}, an administrator of <strong>{d.organizationName}</strong>, ended your exemption from the
          organization's two-factor requirement
          {d.previousUntil ? ` (it would have lasted until ${formatWhen(d.previousUntil)})` : ""}.
        </P>
      ) : null}
      <Details
        rows={[
          ["Organization", d.organizationName],
          ["Changed by", d.adminName],
          ["When", formatWhen(d.at)],
          ["Exempt until", kind === "exemption-ended" ? undefined : formatWhen(d.until ?? d.at)],
          ["Reason", d.reason],
        ]}
      />
      {d.hasTwoFactor ? (
        <P>Your account already uses two-factor authentication, so nothing changes for you: keep using your app.</P>
      ) : kind === "exemption-ended" ? (
        <P>
          {d.mustSetUp
            ? `${d.organizationName} requires two-factor authentication, and your account does not use it yet: set it up now. Twofold asks you to before anything else, at once or at your next sign-in, as the organization's rules say.`
            : "Set up two-factor authentication when you can: it keeps your account safe even if your password leaks."}
        </P>
      ) : (
        <P>
          When the exemption ends, {d.organizationName} will ask you to set up two-factor authentication. It takes two
          minutes, and you can do it any time before then.
        </P>
      )}
      {d.setupUrl && !d.hasTwoFactor ? (
        <>
          <CallToAction href={d.setupUrl}>Set up two-factor authentication</CallToAction>
          <P htmlOnly>Or copy this link into your browser: {d.setupUrl}</P>
        </>
      ) : null}
      <P>
        If you did not ask for this, contact {d.adminName} or another administrator of {d.organizationName}. If you are
        not sure this message is genuine, sign in to Twofold yourself instead of using the link.
      </P>
    </EmailLayout>
  );
}
