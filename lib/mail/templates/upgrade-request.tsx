import { Details, EmailLayout, formatWhen, P } from "./layout";

// Issue 15: an organization asks for a paid plan. One copy to the vendor's sales address (SALES_EMAIL), one to the
// owner as a record that the request left.

export interface UpgradeRequestData {
  recipient: "sales" | "owner";
  organizationName: string;
  organizationSlug: string;
  currentPlan: string;
  plan: string;
  seats: number;
  message: string;
  requestedByName: string;
  requestedByEmail: string;
  /** ISO 8601 */
  at: string;
}

export function upgradeRequestSubject(d: UpgradeRequestData): string {
  return d.recipient === "sales"
    ? `Upgrade request: ${d.organizationName} wants ${d.plan} (${d.seats} seats)`
    : `Your request for the ${d.plan} plan was sent`;
}

export function UpgradeRequestEmail(d: UpgradeRequestData) {
  const sales = d.recipient === "sales";
  return (
    <EmailLayout preview={upgradeRequestSubject(d)} heading={sales ? "New upgrade request" : "Upgrade request sent"}>
      {sales ? (
        <P>
          {d.requestedByName} ({d.requestedByEmail}) asks to move <strong>{d.organizationName}</strong> from the{" "}
          {d.currentPlan} plan to {d.plan}. Reply to them, then change the plan with{" "}
          <code>
            npm run org:set-plan -- {d.organizationSlug} {d.plan.toUpperCase()}
          </code>
          .
        </P>
      ) : (
        <P>
          {d.requestedByName} asked for the {d.plan} plan for <strong>{d.organizationName}</strong>. Our sales team will
          reply by email; the dashboard shows the request as pending until the plan changes.
        </P>
      )}
      <Details
        rows={[
          ["Organization", `${d.organizationName} (${d.organizationSlug})`],
          ["Current plan", d.currentPlan],
          ["Plan wanted", d.plan],
          ["Seats", String(d.seats)],
          ["Requested by", `${d.requestedByName} <${d.requestedByEmail}>`],
          ["When", formatWhen(d.at)],
          ["Message", d.message || "—"],
        ]}
      />
    </EmailLayout>
  );
}
