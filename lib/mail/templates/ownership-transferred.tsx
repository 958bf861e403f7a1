import { Details, device, EmailLayout, formatWhen, P } from "./layout";

// Sent to both people when ownership of an organization changes hands: the new owner learns what they now hold,
// the previous owner gets a record (and an alarm if it was not them).

export interface OwnershipTransferredData {
  /** Who this copy is for. */
  recipient: "new-owner" | "previous-owner";
  name: string;
  organizationName: string;
  previousOwnerName: string;
  newOwnerName: string;
  /** ISO 8601 */
  at: string;
  ip?: string;
  userAgent?: string;
}

export function ownershipTransferredSubject(d: OwnershipTransferredData): string {
  return d.recipient === "new-owner"
    ? `You are now the owner of ${d.organizationName}`
    : `You transferred ownership of ${d.organizationName} to ${d.newOwnerName}`;
}

export function OwnershipTransferredEmail(d: OwnershipTransferredData) {
  const isNew = d.recipient === "new-owner";
  return (
    <EmailLayout
      preview={ownershipTransferredSubject(d)}
      heading={isNew ? "You are now the owner" : "Ownership was transferred"}
    >
      <P>Hello {d.name},</P>
      {isNew ? (
        <P>
          {d.previousOwnerName} made you the owner of <strong>{d.organizationName}</strong> on Twofold. As the owner you
          can do everything an administrator can, and only you can transfer ownership again. {d.previousOwnerName} is
          now an administrator.
        </P>
      ) : (
        <P>
          You made {d.newOwnerName} the owner of <strong>{d.organizationName}</strong> on Twofold. You are now an
          administrator; only {d.newOwnerName} can transfer ownership from now on.
        </P>
      )}
      <Details
        rows={[
          ["Organization", d.organizationName],
          ["Previous owner", d.previousOwnerName],
          ["New owner", d.newOwnerName],
          ["When", formatWhen(d.at)],
          ["IP address", d.ip],
          ["Device", device(d.userAgent)],
        ]}
      />
      <P>
        {isNew
          ? `If you did not expect this, contact ${d.previousOwnerName} right away.`
          : "If you did not do this, someone has your password and your authenticator: contact the new owner and change your password right away."}
      </P>
    </EmailLayout>
  );
}
