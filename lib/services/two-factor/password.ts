import { db } from "../../db";
import { fieldError } from "../../errors";
import type { RequestContext } from "../audit/audit-log";
import { checkPasswordThrottled } from "../sign-in/password-check";

// The current password, asked again before a change to the account's own security (shares the sign-in throttle).

export async function requirePassword(
  userId: string,
  password: string,
  context: RequestContext = { ip: null, userAgent: null },
  now = new Date(),
): Promise<{ name: string; email: string }> {
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { id: true, name: true, email: true, passwordHash: true },
  });
  // Password re-checks share the sign-in throttle (S36: password attempts are throttled), so a stolen session cannot
  // guess the password here.
  return checkPasswordThrottled(
    { email: user.email, password, account: user, purpose: "re-check" },
    context,
    now,
    () => fieldError("INVALID_PASSWORD", { password: "PASSWORD_WRONG" }),
    async () => ({ name: user.name, email: user.email }),
  );
}
