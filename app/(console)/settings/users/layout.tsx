import type { ReactNode } from "react";
import { pageOrgRole } from "@/lib/auth/guards";

/** The page's own guard, run again ABOVE this segment's loading.tsx: once the skeleton streams, the response is a 200
 *  and a refusal inside the page could no longer be a real 403 or redirect (e2e/auth.spec.ts, route-sweep). */
export default async function GuardedSegment({ children }: { children: ReactNode }) {
  await pageOrgRole("any");
  return children;
}
