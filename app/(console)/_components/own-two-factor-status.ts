import { cache } from "react";
import { twoFactorStatus } from "@/lib/services/two-factor/status";

/** The signed-in user's own 2FA status, read once per request: the console's layout (banners, the step-up form's
 *  methods) and the page (its own forms) both need it, and React's cache is per request. */
export const ownTwoFactorStatus = cache((userId: string) => twoFactorStatus({ actor: { userId } }));
