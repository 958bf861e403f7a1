import { z } from "zod";
import { emailField } from "./auth";
import { opaqueId, plainText } from "./text";

export const roleField = z.enum(["ADMIN", "MEMBER"], { message: "Choose Administrator or Member." });
export const typeField = z.enum(["EMPLOYEE", "CLIENT", "CONTRACTOR"], {
  message: "Choose Employee, Client or Contractor.",
});

export const inviteSchema = z.object({ email: emailField, role: roleField, type: typeField });
export type InviteInput = z.input<typeof inviteSchema>;

export const changeRoleSchema = z.object({ membershipId: opaqueId(64, "Choose a teammate."), role: roleField });
export type ChangeRoleInput = z.input<typeof changeRoleSchema>;

export const revokeInvitationSchema = z.object({ invitationId: opaqueId(64, "Choose an invitation.") });

// Settings > Users table (administrators): the query read from the URL (page and CSV export alike). Each parameter is
// parsed on its own; a malformed one falls back to its default instead of failing the page.
const firstValue = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const orDefault = <T extends z.ZodType>(schema: T, fallback: z.output<T>) =>
  z
    .preprocess(
      (v) => {
        const value = firstValue(v);
        return typeof value === "string" && value.trim() === "" ? undefined : value;
      },
      schema.optional().default(fallback as never),
    )
    .catch(fallback as never) as unknown as z.ZodType<z.output<T>>;

export const TWO_FACTOR_FILTERS = ["enabled", "not-set-up", "exempt-sso", "exempt-until"] as const;
/** The 2FA method filter, in the 2FA column's words: "App" (app only), "SMS" (phone only), "App + SMS" (both). */
export const TWO_FACTOR_METHOD_FILTERS = ["app", "sms", "both"] as const;
export const TEAMMATE_SORTS = ["role", "name", "email", "last-sign-in", "joined"] as const;

export const teammatesQuerySchema = z.object({
  q: orDefault(plainText(100, undefined, { trim: true }), ""),
  status: orDefault(z.enum([...TWO_FACTOR_FILTERS, "any"]), "any"),
  method: orDefault(z.enum([...TWO_FACTOR_METHOD_FILTERS, "any"]), "any"),
  role: orDefault(z.enum(["owner", "admin", "member", "any"]), "any"),
  type: orDefault(z.enum(["employee", "client", "contractor", "any"]), "any"),
  sort: orDefault(z.enum(TEAMMATE_SORTS), "role"),
  dir: orDefault(z.enum(["asc", "desc"]), "asc"),
  /** Keyset cursors: a membership id (the last row of the previous page / the first row of the next one). */
  after: orDefault(
    z
      .string()
      .regex(/^[a-z0-9]{1,40}$/)
      .nullable(),
    null,
  ),
  before: orDefault(
    z
      .string()
      .regex(/^[a-z0-9]{1,40}$/)
      .nullable(),
    null,
  ),
});
export type TeammatesQuery = z.output<typeof teammatesQuerySchema>;

export function parseTeammatesQuery(params: Record<string, string | string[] | undefined>): TeammatesQuery {
  return teammatesQuerySchema.parse(params);
}

/** Optional columns of the Users table an administrator can show or hide (name, email, role, type always show). */
export const USERS_TABLE_COLUMNS = [
  "twoFactor",
  "recovery",
  "lastTwoFactorUse",
  "signInMethod",
  "lastSignIn",
  "joined",
  // Issue 11: how many unexpired remembered devices the member has (off by default).
  "rememberedDevices",
] as const;
export type UsersTableColumn = (typeof USERS_TABLE_COLUMNS)[number];
export const DEFAULT_USERS_TABLE_COLUMNS: readonly UsersTableColumn[] = ["twoFactor", "recovery", "lastSignIn"];

export const usersTableColumnsSchema = z.object({
  columns: z
    .array(z.enum(USERS_TABLE_COLUMNS, { message: "Unknown column." }))
    .max(USERS_TABLE_COLUMNS.length)
    .transform((list) => USERS_TABLE_COLUMNS.filter((c) => list.includes(c))),
});

// Row actions on a teammate's two-factor authentication (administrators).
export const membershipIdField = opaqueId(64, "Choose a teammate.");
export const teammateTargetSchema = z.object({ membershipId: membershipIdField });

export const EXEMPTION_MIN_DAYS = 1;
export const EXEMPTION_MAX_DAYS = 30;
export const grantExemptionSchema = z.object({
  membershipId: membershipIdField,
  days: z
    .number({ message: `Enter a number of days from ${EXEMPTION_MIN_DAYS} to ${EXEMPTION_MAX_DAYS}.` })
    .int("Enter whole days.")
    .min(EXEMPTION_MIN_DAYS, `Enter at least ${EXEMPTION_MIN_DAYS} day.`)
    .max(EXEMPTION_MAX_DAYS, `Exemptions last at most ${EXEMPTION_MAX_DAYS} days.`),
  reason: plainText(200, undefined, { trim: true }).min(3, "Say why (at least 3 characters)."),
});
export type GrantExemptionInput = z.input<typeof grantExemptionSchema>;
