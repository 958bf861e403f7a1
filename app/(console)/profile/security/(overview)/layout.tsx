import type { ReactNode } from "react";
import { pageUser } from "@/lib/auth/guards";

/** The page's own guard (with the organization's 2FA gate), run again ABOVE its loading.tsx: once the skeleton
 *  streams, the response is a 200 and the gate's redirect inside the page could no longer be a real redirect
 *  (e2e/route-sweep.spec.ts, S24). The overview sits in this group so that the skeleton and the guard cover it alone:
 *  the setup page below Profile › Security must stay open to a member the gate sends there. */
export default async function ProfileSecurityOverview({ children }: { children: ReactNode }) {
  await pageUser();
  return children;
}
