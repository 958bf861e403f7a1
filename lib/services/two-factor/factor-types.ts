// The shapes of a second-factor check (verification.ts), shared by its callers.

export type SecondFactorMethod = "totp" | "recovery" | "sms";
export type VerifyPurpose =
  | "sign-in"
  | "disable"
  | "regenerate"
  | "step-up"
  | "transfer"
  | "replace"
  | "password-change";

export interface SecondFactorInput {
  method: SecondFactorMethod;
  code: string;
}

/** The sign-in method names kept on sessions and audit rows ("password+totp", …) for each second factor. */
export const SECOND_FACTOR_AUTH_METHOD: Record<SecondFactorMethod, string> = {
  totp: "totp",
  recovery: "recovery-code",
  sms: "sms",
};

export interface VerifiedFactor {
  method: SecondFactorMethod;
  /** Unused recovery codes left after this verification. */
  remainingRecoveryCodes: number;
}
