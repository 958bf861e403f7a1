// Why a session ended: the one list of codes written to Session.revokedReason, and the words the sign-in page shows
// the person whose browser held that session (issue 10 item 4). A leaf: services write the codes, the sign-in page
// reads the words. Every path that ends a session passes one of these codes (revokeUserSessions and the other writers
// take the SignOutReason type, so a new path cannot invent a code); a code not in this list shows nothing.

export const SIGN_OUT_REASONS = {
  /** The person signed out in this browser (the app's button, next-auth's endpoint, or this session in the list). */
  signed_out: "You have been signed out.",
  /** The person signed this browser out from another of their sessions ("Sign out" / "Sign out all other sessions"). */
  signed_out_elsewhere:
    "This browser was signed out from another of your devices. If that was not you, sign in and change your password.",
  /** Absolute lifetime reached (S22). */
  expired: "Your session expired. For your security, sessions last a limited time. Sign in again to continue.",
  /** Idle limit reached (S22). */
  idle_timeout: "You were signed out after a period of inactivity. Sign in again to continue.",
  /** An administrator signed the person out of every device (issue 10 item 3, S23). */
  signed_out_by_admin: "An administrator signed you out of all devices. Sign in again to continue.",
  /** An administrator reset the person's 2FA (S28). */
  two_factor_reset_by_admin:
    "An administrator reset your two-factor authentication and signed you out. Check your email for a link to set it up again.",
  /** The organization started requiring 2FA with "sign out members without 2FA now" (or tightened the rules). */
  organization_requires_2fa: "Your organization now requires two-factor authentication. Sign in to set it up.",
  /** The grace period to set up 2FA ended. */
  two_factor_deadline_passed:
    "Your organization's deadline to set up two-factor authentication has passed. Sign in to set it up now.",
  /** The person turned 2FA on or off, or changed a factor, in another session (S21). */
  two_factor_changed:
    "Your two-factor authentication settings were changed from another session, so this browser was signed out. If that was not you, sign in and change your password.",
  /** The password was changed or reset (S21): every other session ends. */
  password_changed:
    "Your password was changed, so this browser was signed out. Sign in with your new password. If you did not change it, reset your password and tell your administrator.",
} as const;

export type SignOutReason = keyof typeof SIGN_OUT_REASONS;

export function isSignOutReason(code: unknown): code is SignOutReason {
  return typeof code === "string" && Object.hasOwn(SIGN_OUT_REASONS, code);
}

/** The words for a reason code, or null for no code or an unknown one (never the code itself). */
export function signOutReasonText(code: unknown): string | null {
  return isSignOutReason(code) ? SIGN_OUT_REASONS[code] : null;
}
