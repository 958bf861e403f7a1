// Which of one's own second factors a "confirm it's you" form offers (issue 12): the app, a text to the phone (its last
// four digits), recovery codes — only those the person has. Built on the server from twoFactorStatus, handed to the
// client forms as plain data.

export type OwnFactorMethod = "totp" | "sms" | "recovery";

export interface OwnFactorMethods {
  totp: boolean;
  /** the phone's last four digits ("1234"), or null without a phone */
  sms: string | null;
  recovery: boolean;
}

export function ownFactorMethods(status: {
  enabled: boolean;
  anyFactor: boolean;
  phone: { masked: string } | null;
}): OwnFactorMethods {
  return {
    totp: status.enabled,
    sms: status.phone ? status.phone.masked.slice(-4) : null,
    // Recovery codes come with any factor (the verify page offers them likewise).
    recovery: status.anyFactor,
  };
}

/** The methods in the control's order. */
export function availableMethods(m: OwnFactorMethods): OwnFactorMethod[] {
  return (["totp", "sms", "recovery"] as const).filter((x) =>
    x === "totp" ? m.totp : x === "sms" ? m.sms !== null : m.recovery,
  );
}

/** The method a form starts with: the app when there is one, else the phone. */
export function defaultMethod(m: OwnFactorMethods, preferred?: OwnFactorMethod): OwnFactorMethod {
  const available = availableMethods(m);
  if (preferred && available.includes(preferred)) return preferred;
  return available[0] ?? "totp";
}
