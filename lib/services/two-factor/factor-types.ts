// The shapes of a second-factor check (verification.ts), shared by its callers.

export type SecondFactorMethod = "totp" | "recovery";
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

export interface VerifiedFactor {
  method: SecondFactorMethod;
  /** Unused recovery codes left after this verification. */
  remainingRecoveryCodes: number;
}
