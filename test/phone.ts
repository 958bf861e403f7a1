// Adding a phone through the real services in tests (issue 12): the code is read from the text queued in the outbox.
import { db } from "@/lib/db";
import { confirmPhoneEnrolment, sendPhoneEnrolmentCode } from "@/lib/services/two-factor/phone-enrol";
import { PASSWORD, signIn } from "./factories";
import { latestText } from "./sms";

/** A fresh UK mobile number that the parser accepts. (Ofcom's drama range +44 7700 900xxx, test/sms.ts's uniqueMobile,
 *  is not a valid number for libphonenumber, so it cannot be added through the form.) */
export const uniqueUkMobile = () => `+447400${String(Math.floor(Math.random() * 1_000_000)).padStart(6, "0")}`;

/** A client address of its own, so the per-IP cap of one shared test address never interferes. */
export const phoneContext = () => ({
  ip: `10.13.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
  userAgent: "vitest",
});

/** Lets `organizationId` text UK numbers and allows SMS as a method. */
export async function allowUkSms(organizationId: string, methods: ("TOTP" | "SMS")[] = ["TOTP", "SMS"]) {
  await db.organization.update({
    where: { id: organizationId },
    data: { allowedMethods: methods, smsCountries: ["GB"] },
  });
}

/** Signs `p` in and adds a phone through the real flow at `now`; returns the number, the session and recovery codes. */
export async function withPhone<P extends { userId: string; email: string; sessionId?: string }>(
  p: P,
  now = new Date(),
  phone = uniqueUkMobile(),
) {
  // A person who already has 2FA adds the phone from the session they have (signing in again would ask for a code).
  const sessionId = p.sessionId ?? (await signIn(p, now));
  const actor = { userId: p.userId, sessionId, organizationId: null };
  const context = phoneContext();
  await sendPhoneEnrolmentCode({ actor, input: { number: phone, country: "GB" }, context }, { now });
  const { code } = await latestText(phone);
  const { recoveryCodes } = await confirmPhoneEnrolment(
    { actor, input: { password: PASSWORD, code }, context },
    { now: new Date(now.getTime() + 1000) },
  );
  return { ...p, phone, phoneSessionId: sessionId, recoveryCodes };
}
