import { headers } from "next/headers";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import type { Actor } from "../auth/actor";
import { type CurrentUser, type OrgContext, requireOrgRole, requireUser } from "../auth/guards";
import { requestContext } from "../auth/request-context";
import type { Role } from "../db";
import { env } from "../env";
import { DomainError, type ErrorCode, errorMessages, isDomainError } from "../errors";
import { isSameOriginRequest } from "../net/origin";
import type { RequestContext } from "../services/audit/audit-log";

// The action client: Origin check (S34) → zod input (the form's own schema) → guard → service, with
// DomainError mapped to a form/field message. Every exported server action goes through one of these.

export type ActionResult<T> =
  | { ok: true; data: T }
  | {
      ok: false;
      code: ErrorCode;
      error: string;
      fieldErrors?: Record<string, string>;
      /** ISO time when a refused request may be made again (e.g. SMS_LIMITED) */
      retryAt?: string;
    };

/** "setup": a signed-in user, also one whom an organization requires to set up 2FA first (the setup flow only). */
type Auth = "public" | "user" | "setup" | "member" | readonly Role[];
type Current<A extends Auth> = A extends "public" ? null : A extends "user" | "setup" ? CurrentUser : OrgContext;

export interface ActionContext<A extends Auth> {
  /** Who acts, as the use cases take it (organizationId null for "user"/"setup"); null for public actions. */
  actor: A extends "public" ? null : Actor;
  /** What the guard loaded besides (the user's name and email, the session, the membership and organization). */
  current: Current<A>;
  context: RequestContext;
}

/**
 * Refuses cross-site and Origin-less state-changing requests (S34): the Origin must be the configured app origin
 * (NEXTAUTH_URL). Host and X-Forwarded-Host are client-controlled and never consulted (item 13).
 */
export async function assertSameOrigin(): Promise<void> {
  if (!isSameOriginRequest(await headers(), env.appOrigin)) throw new DomainError("CROSS_ORIGIN");
}

export function toActionError(e: unknown): ActionResult<never> {
  if (isDomainError(e))
    return {
      ok: false,
      code: e.code,
      error: e.message,
      ...(e.fields ? { fieldErrors: e.fields } : {}),
      ...(e.retryAt ? { retryAt: e.retryAt.toISOString() } : {}),
    };
  console.error("[action] unexpected error:", e instanceof Error ? e.name : typeof e);
  return { ok: false, code: "INTERNAL", error: errorMessages.INTERNAL };
}

/** zod's own words for a value of the wrong type ("Invalid input: expected string, received undefined") are not for
 *  people: a crafted request (a missing field, a number for a name) gets these instead (S45). */
function messageOf(issue: z.core.$ZodIssue): string {
  if (!/^(Invalid|Too big|Too small|Unrecognized)/.test(issue.message)) return issue.message; // the schema's words
  if (issue.path.length === 0) return "This request is not valid. Reload the page and try again.";
  return issue.message.includes("received undefined") ? "Fill in this field." : "This value is not valid here.";
}

/** One message per field path ("columns.0"), and per top-level field ("columns") for the form to show. */
export function zodFieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const message = messageOf(issue);
    fields[issue.path.join(".") || "form"] ??= message;
    if (issue.path.length > 1) fields[String(issue.path[0])] ??= message;
  }
  return fields;
}

export function defineAction<S extends z.ZodType, A extends Auth, T>(
  options: { schema: S; auth: A },
  handler: (input: z.output<S>, ctx: ActionContext<A>) => Promise<T>,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return async (raw) => {
    try {
      await assertSameOrigin();
      const current = (
        options.auth === "public"
          ? null
          : options.auth === "user" || options.auth === "setup"
            ? await requireUser({ duringSetup: options.auth === "setup" })
            : await requireOrgRole(options.auth === "member" ? "any" : (options.auth as readonly Role[]))
      ) as Current<A>;
      const parsed = options.schema.safeParse(raw);
      if (!parsed.success) {
        return {
          ok: false,
          code: "VALIDATION",
          error: errorMessages.VALIDATION,
          fieldErrors: zodFieldErrors(parsed.error),
        };
      }
      const actor = (current?.actor ?? null) as ActionContext<A>["actor"];
      const data = await handler(parsed.data, { actor, current, context: await requestContext() });
      return { ok: true, data };
    } catch (e) {
      unstable_rethrow(e); // redirect(), notFound() and friends
      return toActionError(e);
    }
  };
}
