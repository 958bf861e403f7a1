// The words people see for roles and member types: one copy for every page, dialog and table.

export type Role = "OWNER" | "ADMIN" | "MEMBER";

const ROLE_LABELS: Record<Role, string> = { OWNER: "Owner", ADMIN: "Administrator", MEMBER: "Member" };
const TYPE_LABELS: Record<string, string> = { EMPLOYEE: "Employee", CLIENT: "Client", CONTRACTOR: "Contractor" };

/** "Owner", "Administrator", "Member"; an unknown value is shown as it is. */
export function roleLabel(role: string): string {
  return ROLE_LABELS[role as Role] ?? role;
}

/** "Employee", "Client", "Contractor"; an unknown value is shown as it is. */
export function typeLabel(type: string): string {
  return TYPE_LABELS[type] ?? type;
}

/** "SSO" or "Password". */
export function signInMethodLabel(method: string): string {
  return method === "SSO" ? "SSO" : "Password";
}
