// Reading queued mail in tests: the template data of an outbox row, its sealed secrets opened (S41) the way the
// worker opens them at send time. Secrets are gone once the row is SENT: read the mail before delivering it.
import { openPayload } from "@/lib/mail/sealed-payload";

export function mailData<T = Record<string, unknown>>(
  row: { id: string; template: string; to: string; payload: unknown } | null | undefined,
): T {
  if (!row) return {} as T;
  return openPayload(row, row.payload) as T;
}
