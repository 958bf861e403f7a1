import { z } from "zod";
import { plainText } from "./text";

// The audit log's filters, read from the URL (page and CSV export alike). Each parameter is parsed on its own:
// a malformed one falls back to its default (no filter) instead of failing the page.

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const blankToUndefined = (v: unknown) => {
  const value = first(v);
  return typeof value === "string" && value.trim() === "" ? undefined : value;
};

const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional()).catch(undefined);

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
  });

export const auditFilterSchema = z.object({
  type: optional(z.string().regex(/^[a-z0-9_.]{1,64}$/)),
  actor: optional(plainText(100, undefined, { trim: true })),
  target: optional(plainText(100, undefined, { trim: true })),
  /** First day shown (UTC), YYYY-MM-DD. */
  from: optional(isoDay),
  /** Last day shown (UTC), inclusive, YYYY-MM-DD. */
  to: optional(isoDay),
  /** Keyset cursor of the page ("<epoch ms>-<id>"). */
  before: optional(z.string().regex(/^\d{1,15}-[a-z0-9]{1,40}$/)),
});
export type AuditFilterParams = z.output<typeof auditFilterSchema>;

export function parseAuditFilter(params: Record<string, string | string[] | undefined>): AuditFilterParams {
  return auditFilterSchema.parse(params);
}
