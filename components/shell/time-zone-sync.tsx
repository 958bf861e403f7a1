"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { normalizeTimeZone, TIME_ZONE_COOKIE } from "@/lib/format/dates";

/** Tells the server the browser's time zone (a cookie, a year), and re-renders the page once when the server used
 *  another one (the first visit, a journey across zones). docs/decisions/0012-time-zones.md */
export function TimeZoneSync({ serverTimeZone }: { serverTimeZone: string }) {
  const router = useRouter();
  useEffect(() => {
    const zone = normalizeTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
    const stated = `${TIME_ZONE_COOKIE}=${zone}`; // IANA names are cookie-safe (normalizeTimeZone)
    // Already said (the server may spell a zone its own way: no reload loop then).
    if (zone === serverTimeZone || document.cookie.split("; ").includes(stated)) return;
    const secure = window.location.protocol === "https:" ? "; Secure" : "";
    // biome-ignore lint/suspicious/noDocumentCookie: a plain preference cookie; the Cookie Store API is not everywhere.
    document.cookie = `${stated}; Path=/; Max-Age=31536000; SameSite=Lax${secure}`;
    router.refresh();
  }, [serverTimeZone, router]);
  return null;
}
