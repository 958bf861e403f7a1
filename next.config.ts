import type { NextConfig } from "next";
import { validateEnv } from "./lib/env";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  images: { unoptimized: true },
  serverExternalPackages: ["@node-rs/argon2", "pg", "@prisma/adapter-pg", "@electric-sql/pglite"],
  experimental: {
    serverActions: { bodySizeLimit: "256kb" },
    authInterrupts: true,
  },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          // Not no-referrer: under it browsers send `Origin: null` on same-origin POSTs, which the origin check refuses.
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
    ];
  },
};

// Importing lib/env validates the configuration at build and at start: a missing or malformed variable fails here
// with a message naming it. Next sets NEXT_PHASE only after loading this file, so `phase` is passed:
// while building, the production-only secrets (session secret, 2FA keys) are not needed yet.
// Server actions: Next accepts an action whose Origin matches Host/X-Forwarded-Host or allowedOrigins; the app URL is
// the only origin we mean (proxy.ts answers other origins 403 first; defineAction checks it again).
export default function config(phase: string): NextConfig {
  const env = validateEnv(phase);
  const serverActions = { ...nextConfig.experimental?.serverActions, allowedOrigins: [new URL(env.appOrigin).host] };
  return { ...nextConfig, experimental: { ...nextConfig.experimental, serverActions } };
}
