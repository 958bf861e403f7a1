import { Details, device, EmailLayout, formatWhen, P } from "./layout";

// Lockouts (issue 9 item 3): the user learns when their account locks after repeated failed attempts, what it means and
// what to do; and when an administrator unlocks it for them.

export type LockedFactor = "password" | "second-factor";

export interface AccountLockedData {
  name: string;
  factor: LockedFactor;
  /** "network": only sign-ins from the address below are paused; "account": every sign-in is paused. */
  scope?: "network" | "account";
  /** ISO 8601 */
  until: string;
  ip?: string;
  userAgent?: string;
  /** ISO 8601 */
  at: string;
}

export function accountLockedSubject(d: AccountLockedData): string {
  return d.factor === "password"
    ? "Sign-in to your Twofold account is paused after failed attempts"
    : "Two-factor sign-in to your Twofold account is locked after wrong codes";
}

export function AccountLockedEmail(d: AccountLockedData) {
  const hardLocked = new Date(d.until).getTime() - new Date(d.at).getTime() > 7 * 24 * 3600_000;
  const what =
    d.factor === "password"
      ? `There were too many wrong passwords for your account${d.scope === "network" ? " from one network" : ""}, so we paused password sign-in${d.scope === "network" ? " from that network" : ""}.`
      : "There were too many wrong two-factor codes after your correct password, so we locked two-factor sign-in.";
  return (
    <EmailLayout preview={accountLockedSubject(d)} heading="Sign-in paused after failed attempts">
      <P>Hello {d.name},</P>
      <P>{what}</P>
      <Details
        rows={[
          ["When", formatWhen(d.at)],
          ["Locked until", hardLocked ? "an administrator unlocks it" : formatWhen(d.until)],
          ["IP address", d.ip],
          ["Device", device(d.userAgent)],
        ]}
      />
      <P>
        If this was you, wait until then and try again
        {d.factor === "second-factor" ? " (you can also use a recovery code)" : ""}, or ask an administrator of your
        organization to unlock your account.
      </P>
      <P>
        If it was not you,{" "}
        {d.factor === "password"
          ? "someone may be guessing your password: choose a strong password you use nowhere else, and tell your administrator."
          : "someone knows your password: change it now and tell your administrator."}
      </P>
    </EmailLayout>
  );
}

export interface AccountUnlockedData {
  name: string;
  adminName: string;
  organizationName: string;
  /** What was locked: "password", "second-factor" or both. */
  factors: LockedFactor[];
  /** ISO 8601 */
  at: string;
}

export function AccountUnlockedEmail(d: AccountUnlockedData) {
  const what = d.factors.map((f) => (f === "password" ? "password sign-in" : "two-factor sign-in")).join(" and ");
  return (
    <EmailLayout preview={`${d.adminName} unlocked your account`} heading="Your account was unlocked">
      <P>Hello {d.name},</P>
      <P>
        {d.adminName}, an administrator of <strong>{d.organizationName}</strong>, unlocked {what || "sign-in"} on your
        account after it was locked by failed attempts. You can sign in again now.
      </P>
      <Details
        rows={[
          ["Unlocked by", d.adminName],
          ["Organization", d.organizationName],
          ["When", formatWhen(d.at)],
        ]}
      />
      <P>If you did not ask for this, contact {d.adminName} or another administrator right away.</P>
    </EmailLayout>
  );
}
