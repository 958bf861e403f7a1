import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { TimeZoneSync } from "@/components/shell/time-zone-sync";
import { TimeZoneProvider } from "@/components/ui/local-time";
import { requestTimeZone } from "@/lib/auth/request-context";
import "./globals.css";

export const metadata: Metadata = {
  title: { template: "%s · Twofold", default: "Twofold" },
  description: "Two-factor authentication for every teammate of your organization.",
  applicationName: "Twofold",
  robots: { index: false, follow: false },
};

export const viewport: Viewport = {
  themeColor: "#ffffff",
  colorScheme: "light",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request: its scripts carry the request's CSP nonce (proxy.ts), which a page
  // prerendered at build time could not.
  await connection();
  const timeZone = await requestTimeZone();
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:fixed focus:top-3 focus:left-3 focus:z-50 focus:rounded-md focus:bg-white focus:px-4 focus:py-2 focus:text-sm focus:font-medium focus:text-brand-800 focus:shadow-lg focus:outline-2 focus:outline-focus"
        >
          Skip to main content
        </a>
        <TimeZoneProvider timeZone={timeZone}>{children}</TimeZoneProvider>
        <TimeZoneSync serverTimeZone={timeZone} />
      </body>
    </html>
  );
}
