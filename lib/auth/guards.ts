import { cookies, headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { decode } from "next-auth/jwt";
import { cache } from "react";
import type { Role } from "../db";
import { authSecret } from "../env";
import { DomainError, fieldError, isDomainError } from "../errors";
import { type GateState, twoFactorGate } from "../services/org-policy/gate";
import { loadActiveSession } from "../services/sessions/active-session";
import { endedSessionReason } from "../services/sessions/ended-session";
import { loadMembershipContext } from "../services/teammates/memberships";
import { SETUP_PATH, safeRedirect } from "../urls";
import type { Actor } from "./actor";
import { SESSION_COOKIE } from "./cookies";
import type { SignOutReason } from "./sign-out-reasons";

// The one guard module. Pages, server actions and route handlers call these; mutating services check
// authorization again themselves. Never rely on proxy.ts alone (CVE-2025-29927).
// The organization 2FA gate (S24) lives here too: a member an organization requires to set up 2FA gets past these
// guards only where the caller explicitly allows the setup flow (`{ duringSetup: true }`); everything else redirects
// to the setup page (pages) or is refused with 403 TWO_FACTOR_SETUP_REQUIRED (actions, route handlers).

export interface GuardOptions {
  /** Allow a member who must set up 2FA first (the setup flow itself). Default false. */
  duringSetup?: boolean;
  /** A security change (own password, own 2FA, ownership): a lower-assurance session must step up first (S30).
   *  Role-restricted guards (owners/administrators) always demand it. Default false. */
  securityChange?: boolean;
}

/** Where a lower-assurance session confirms with a code before a security or admin page (S30). */
export const STEP_UP_PATH = "/profile/step-up";

export interface CurrentUser {
  /** Who acts, as every use case takes it (organizationId: null here; set by the organization guards). */
  actor: Actor;
  user: { id: string; name: string; email: string; sessionVersion: number };
  session: {
    id: string;
    authMethod: string;
    secondFactorAt: Date | null;
    createdAt: Date;
    /** S30: the sign-in skipped its second step (trusted network, remembered device, familiar) and the session has not
     *  stepped up since: security changes and admin actions are refused until it does. */
    needsStepUp: boolean;
  };
  /** What the organizations' 2FA requirement means for this session, checked on every request. */
  gate: GateState;
}

export interface OrgContext extends CurrentUser {
  membership: { id: string; role: Role; type: string };
  organization: { id: string; name: string; slug: string; plan: string };
}

/** The session id this browser's own session cookie carries (a JWT only the server can read), or null. */
const cookieSessionId = cache(async (): Promise<string | null> => {
  const raw = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!raw) return null;
  try {
    const sid = (await decode({ token: raw, secret: authSecret() }))?.sid;
    return typeof sid === "string" ? sid : null;
  } catch {
    return null; // tampered or foreign cookie
  }
});

/** The signed-in user of this request, or null. Checks the session row on every request (S21). */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const sid = await cookieSessionId();
  if (!sid) return null;
  const session = await loadActiveSession(sid);
  if (!session) return null;
  const { user } = session;
  const gate = await twoFactorGate({
    actor: { userId: user.id },
    input: { session: { createdAt: session.createdAt, setupRequiredAtStart: session.setupRequiredAtStart } },
  });
  return {
    gate,
    actor: { userId: user.id, sessionId: session.id, organizationId: null },
    user: { id: user.id, name: user.name, email: user.email, sessionVersion: user.sessionVersion },
    session: {
      id: session.id,
      authMethod: session.authMethod,
      secondFactorAt: session.secondFactorAt,
      createdAt: session.createdAt,
      needsStepUp: session.lowerAssurance && session.stepUpAt === null,
    },
  };
});

/**
 * Why this browser's own session ended (issue 10 item 4), for the notice on the sign-in page: read from the Session row
 * that this browser's session cookie points to, so it tells nothing to anyone else and cannot be crafted (no query
 * parameter, no text from the request). Null while the session is valid, or without a cookie or a known reason.
 */
export async function signedOutReason(): Promise<SignOutReason | null> {
  if (await getCurrentUser()) return null; // also records an expiry or idle timeout it notices, before the read below
  const sid = await cookieSessionId();
  return sid ? endedSessionReason({ input: { sessionId: sid } }) : null;
}

/** For actions and route handlers: throws DomainError("UNAUTHENTICATED") or ("TWO_FACTOR_SETUP_REQUIRED"). */
export async function requireUser(options: GuardOptions = {}): Promise<CurrentUser> {
  const current = await getCurrentUser();
  if (!current) throw new DomainError("UNAUTHENTICATED");
  if (current.gate.kind === "setup-required" && !options.duringSetup)
    throw new DomainError("TWO_FACTOR_SETUP_REQUIRED");
  if (options.securityChange) assertFullAssurance(current);
  return current;
}

/** S30: a session whose sign-in skipped the second step steps up (a code from an existing factor) before any security
 *  change or admin action; STEP_UP_REQUIRED until then (the one step-up form answers it). */
function assertFullAssurance(current: CurrentUser): void {
  if (current.session.needsStepUp) throw fieldError("STEP_UP_REQUIRED", { code: "STEP_UP_CODE" });
}

/** Owners and administrators only: an admin guard, which a lower-assurance session must step up for (S30). */
const isAdminOnly = (roles: readonly Role[] | "any") => roles !== "any" && !roles.includes("MEMBER");

/** The user's membership context, read once per request: the console's layout, a segment's layout and the page each
 *  guard themselves, and every one of them asks for the same row (React's cache is per request). */
const membershipContextOf = cache((userId: string) => loadMembershipContext({ actor: { userId } }));

/** The user's organization (their oldest active membership; there is no organization switcher), with a role check. */
export async function requireOrgRole(
  roles: readonly Role[] | "any" = "any",
  options: GuardOptions = {},
): Promise<OrgContext> {
  const current = await requireUser(options);
  const ctx = await membershipContextOf(current.user.id);
  if (!ctx) throw new DomainError("FORBIDDEN");
  if (roles !== "any" && !roles.includes(ctx.membership.role)) throw new DomainError("FORBIDDEN");
  if (isAdminOnly(roles)) assertFullAssurance(current);
  return { ...current, ...ctx, actor: { ...current.actor, organizationId: ctx.organization.id } };
}

/** The page asked for (set by proxy.ts), as a safe return target for sign-in (S38). */
async function currentPath(): Promise<string> {
  return safeRedirect((await headers()).get("x-twofold-path"));
}

/** For pages: redirects to sign-in (unauthenticated) or renders the 403 page (wrong role). */
export async function pageUser(options: GuardOptions = {}): Promise<CurrentUser> {
  const current = await getCurrentUser();
  if (!current) redirect(`/sign-in?callbackUrl=${encodeURIComponent(await currentPath())}`);
  if (current.gate.kind === "setup-required" && !options.duringSetup) redirect(SETUP_PATH);
  if (options.securityChange && current.session.needsStepUp) redirect(await stepUpRedirect());
  return current;
}

/** For a page that only some viewers use for a security change (the owner on Settings > Owner): sends a
 *  lower-assurance session to the step-up page first (S30). */
export async function pageAssurance(current: CurrentUser): Promise<void> {
  if (current.session.needsStepUp) redirect(await stepUpRedirect());
}

async function stepUpRedirect(): Promise<string> {
  return `${STEP_UP_PATH}?callbackUrl=${encodeURIComponent(await currentPath())}`;
}

export async function pageOrgRole(
  roles: readonly Role[] | "any" = "any",
  options: GuardOptions = {},
): Promise<OrgContext> {
  try {
    return await requireOrgRole(roles, options);
  } catch (e) {
    if (isDomainError(e, "UNAUTHENTICATED"))
      redirect(`/sign-in?callbackUrl=${encodeURIComponent(await currentPath())}`);
    if (isDomainError(e, "TWO_FACTOR_SETUP_REQUIRED")) redirect(SETUP_PATH);
    if (isDomainError(e, "FORBIDDEN")) forbidden();
    if (isDomainError(e, "STEP_UP_REQUIRED")) redirect(await stepUpRedirect());
    throw e;
  }
}
