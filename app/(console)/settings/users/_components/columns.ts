/** The optional columns of the Users table and their headers (ids as in lib/validation/teammates). */
export const COLUMN_LABELS = {
  twoFactor: "2FA",
  recovery: "Recovery codes",
  lastTwoFactorUse: "Last 2FA use",
  signInMethod: "Sign-in method",
  lastSignIn: "Last sign-in",
  joined: "Joined",
  rememberedDevices: "Remembered devices",
} as const;
export type OptionalColumn = keyof typeof COLUMN_LABELS;
