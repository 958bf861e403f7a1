import ipaddr from "ipaddr.js";
import { z } from "zod";

// The only reader of process.env. Validated once, at build (next.config.ts imports this) and at start;
// a missing or malformed value fails with a message naming the variable.

const bool = z.enum(["0", "1", "true", "false"]).transform((v) => v === "1" || v === "true");
/** Narrowest prefix accepted for a trusted proxy range: a wider one would believe X-Forwarded-For from almost anyone. */
const MIN_PROXY_PREFIX = { ipv4: 8, ipv6: 16 } as const;

/** One TRUSTED_PROXIES entry (an IPv4/IPv6 address or CIDR range), or why it is refused. Parsed with ipaddr.js. */
export function checkProxyEntry(entry: string): string | null {
  const [address = "", prefix, ...rest] = entry.split("/");
  if (rest.length > 0) return `"${entry}" is not an IP address or CIDR range`;
  const kind = ipaddr.IPv4.isValidFourPartDecimal(address) ? "ipv4" : ipaddr.IPv6.isValid(address) ? "ipv6" : null;
  if (!kind || address.includes("%")) {
    return `"${entry}" is not an IP address or CIDR range (IPv4 as four decimal numbers 0–255, or IPv6)`;
  }
  if (prefix === undefined) return null;
  const max = kind === "ipv4" ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) {
    return `"${entry}": the prefix length must be a number from ${MIN_PROXY_PREFIX[kind]} to ${max}`;
  }
  const bits = Number(prefix);
  if (bits < MIN_PROXY_PREFIX[kind]) {
    return `"${entry}" is too broad (shorter than /${MIN_PROXY_PREFIX[kind]}): it would believe almost any client's X-Forwarded-For`;
  }
  const network = (kind === "ipv4" ? ipaddr.IPv4 : ipaddr.IPv6).networkAddressFromCIDR(entry).toString();
  if (network !== ipaddr.parse(address).toString()) {
    return `"${entry}" has host bits set: did you mean ${network}/${bits}?`;
  }
  return null;
}

const cidrList = z.string().transform((s, ctx) => {
  const entries = s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
  const problems = entries.map(checkProxyEntry).filter((p): p is string => p !== null);
  if (problems.length > 0) {
    ctx.addIssue({
      code: "custom",
      message: `expected IP addresses or CIDR ranges, comma-separated: ${problems.join("; ")}`,
    });
    return z.NEVER;
  }
  return entries;
});

/**
 * TWOFACTOR_ENCRYPTION_KEYS: comma-separated `version:base64key` entries (e.g. `1:…,2:…`), each key exactly 32 bytes
 * (AES-256-GCM, `openssl rand -base64 32`). Old versions stay listed so data encrypted with them still decrypts.
 * Messages name versions and lengths only, never key material. Also used by lib/crypto/encryption.ts `parseKeys`.
 */
export const encryptionKeysSchema = z.string().transform((s, ctx) => {
  const keys = new Map<number, Buffer>();
  const entries = s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
  for (const [i, entry] of entries.entries()) {
    const m = /^(\d{1,9}):([A-Za-z0-9+/_-]+={0,2})$/.exec(entry);
    if (!m?.[1] || !m[2]) {
      ctx.addIssue({
        code: "custom",
        message: `entry ${i + 1} must be version:base64key (e.g. 1:<openssl rand -base64 32>)`,
      });
      return z.NEVER;
    }
    const version = Number(m[1]);
    const key = Buffer.from(m[2], "base64");
    if (version < 1) {
      ctx.addIssue({ code: "custom", message: `entry ${i + 1}: the version must be a positive integer` });
      return z.NEVER;
    }
    if (key.length !== 32) {
      ctx.addIssue({ code: "custom", message: `key version ${version} must be exactly 32 bytes, got ${key.length}` });
      return z.NEVER;
    }
    if (keys.has(version)) {
      ctx.addIssue({ code: "custom", message: `key version ${version} is listed twice` });
      return z.NEVER;
    }
    keys.set(version, key);
  }
  if (keys.size === 0) {
    ctx.addIssue({ code: "custom", message: "must contain at least one version:base64key entry" });
    return z.NEVER;
  }
  return keys as ReadonlyMap<number, Buffer>;
});

/** SSO is configured by all four of these together, or by none. */
const TWILIO_VARIABLES = [
  "TWILIO_ACCOUNT_SID",
  "TWILIO_AUTH_TOKEN",
  "TWILIO_FROM",
  "TWILIO_MESSAGING_SERVICE_SID",
] as const;

/** The Twilio settings missing for sending texts (none when SMS_TRANSPORT=local): [name, absent, hint]. */
function twilioMissing(
  v: Partial<Record<(typeof TWILIO_VARIABLES)[number], string>> & { SMS_TRANSPORT?: "twilio" | "local" },
  orLocal: string,
): [string, boolean, string][] {
  if (v.SMS_TRANSPORT === "local") return [];
  const tail = orLocal ? `; ${orLocal}` : "";
  return [
    ["TWILIO_ACCOUNT_SID", !v.TWILIO_ACCOUNT_SID, `to send texts through Twilio, e.g. AC…${tail}`],
    ["TWILIO_AUTH_TOKEN", !v.TWILIO_AUTH_TOKEN, `the Auth Token of that account${tail}`],
    [
      "TWILIO_FROM",
      !v.TWILIO_FROM && !v.TWILIO_MESSAGING_SERVICE_SID,
      `the sender: TWILIO_FROM (a Twilio number in E.164) or TWILIO_MESSAGING_SERVICE_SID (MG…)${tail}`,
    ],
  ];
}

const OIDC_VARIABLES = ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_ORGANIZATION_SLUG"] as const;

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    /** Set by Next: "phase-production-build" while `next build` runs (production secrets not needed yet). */
    NEXT_PHASE: z.string().optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL")
      .optional(),
    /** Connections in the app's pool. The embedded PGlite is one session for every connection, so `npm start`
     *  sets 1 there (interleaved statements of two connections would collide); PostgreSQL takes the default. */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    NEXTAUTH_SECRET: z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -base64 32`)").optional(),
    NEXTAUTH_URL: z
      .url("must be the absolute URL the app is served at")
      .regex(/^https?:\/\//, "must be an http(s) URL")
      .optional(),
    /** The demo: seed Acme Inc, generated secrets, the development mailbox. Set by `npm start` on the embedded
     *  database; set it yourself only for a throw-away demo on your own PostgreSQL. */
    TWOFOLD_DEMO: bool.optional(),
    RESEND_API_KEY: z.string().min(1).optional(),
    RESEND_BASE_URL: z.url().optional(),
    /** Where mail goes: `resend` (needs RESEND_API_KEY) or `local` (kept in the database, the development mailbox). */
    MAIL_TRANSPORT: z.enum(["resend", "local"]).optional(),
    MAIL_FROM: z.string().min(3).optional(),
    /** Where upgrade requests go (issue 15): the vendor's sales address. Default: the address of MAIL_FROM. */
    SALES_EMAIL: z.email("must be an email address").optional(),
    DEV_MAILBOX: bool.optional(),
    OUTBOX_WORKER: z.enum(["inline", "off"]).default("inline"),
    TRUSTED_PROXIES: cidrList.default([]),
    SESSION_MAX_AGE_HOURS: z.coerce.number().int().min(1).max(72).default(12),
    SESSION_IDLE_MINUTES: z.coerce
      .number()
      .int()
      .min(5)
      .max(24 * 60)
      .default(120),
    // SMS (issue 12): Twilio's Messages API through its SDK, or the local mailbox. Caps against SMS pumping per UTC day.
    TWILIO_ACCOUNT_SID: z
      .string()
      .regex(/^AC[0-9a-fA-F]{32}$/, "must be a Twilio Account SID (AC followed by 32 hex digits)")
      .optional(),
    TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
    /** The sender: a Twilio phone number in E.164 … */
    TWILIO_FROM: z
      .string()
      .regex(/^\+[1-9]\d{6,14}$/, "must be a Twilio phone number in E.164, e.g. +15017122661")
      .optional(),
    /** … or a Messaging Service (takes precedence over TWILIO_FROM when both are set). */
    TWILIO_MESSAGING_SERVICE_SID: z
      .string()
      .regex(/^MG[0-9a-fA-F]{32}$/, "must be a Messaging Service SID (MG followed by 32 hex digits)")
      .optional(),
    /** Where the SDK's requests go instead of https://api.twilio.com (tests: the local stand-in). */
    TWILIO_BASE_URL: z
      .url()
      .regex(/^https?:\/\//, "must be an http(s) URL")
      .optional(),
    /** Where texts go: `twilio` (needs the TWILIO_ settings) or `local` (the development mailbox). */
    SMS_TRANSPORT: z.enum(["twilio", "local"]).optional(),
    SMS_LIMIT_PER_NUMBER: z.coerce.number().int().min(1).max(1000).default(10),
    SMS_LIMIT_PER_ACCOUNT: z.coerce.number().int().min(1).max(1000).default(10),
    SMS_LIMIT_PER_IP: z.coerce.number().int().min(1).max(10000).default(20),
    /** Countries (ISO 3166 alpha-2, comma-separated) texts may go to for accounts outside any organization.
     *  Unset: none (such accounts cannot use SMS; organizations choose their own list). */
    SMS_PERSONAL_COUNTRIES: z
      .string()
      .transform((s) =>
        s
          .split(",")
          .map((x) => x.trim().toUpperCase())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(/^[A-Z]{2}$/, "must be ISO 3166 alpha-2 country codes, e.g. US,GB,DE")))
      .default([]),
    TWOFACTOR_ENCRYPTION_KEYS: encryptionKeysSchema.optional(),
    TWOFACTOR_KEY_VERSION: z.coerce.number().int().min(1, "must be a positive integer").optional(),
    /** SSO through the organization's OpenID Connect provider: all four of issuer, client id, client secret and
     *  organization slug, or none (SSO off). */
    OIDC_ISSUER: z
      .url("must be the issuer URL of the OpenID Provider (its /.well-known/openid-configuration is read)")
      .regex(/^https?:\/\//, "must be an http(s) URL")
      .optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    /** The organization whose identity provider this is: SSO users are provisioned into it and must be members. */
    OIDC_ORGANIZATION_SLUG: z
      .string()
      .regex(/^[a-z0-9-]+$/, "must be an organization slug (lowercase letters, digits, dashes)")
      .optional(),
    OIDC_DISPLAY_NAME: z.string().min(1).max(60).default("SSO"),
    /** Enables the test mailbox API (GET /api/test-mailbox, lib/services/test-mailbox/) for QA's Playwright flows
     *  against a deployment: the bearer token it requires. Unset: the API does not exist (404). */
    TEST_MAILBOX_TOKEN: z
      .string()
      .min(32, "must be at least 32 characters (e.g. `openssl rand -base64 32`)")
      .optional(),
    /** A production start refuses TEST_MAILBOX_TOKEN unless this is set too (a staging deployment, on purpose). */
    TEST_MAILBOX_ALLOW_PRODUCTION: bool.optional(),
  })
  .superRefine((v, ctx) => {
    const building = v.NEXT_PHASE === "phase-production-build";
    const keys = v.TWOFACTOR_ENCRYPTION_KEYS;
    const productionStart = v.NODE_ENV === "production" && !building && !v.TWOFOLD_DEMO;
    // S44: a production start that is not the demo needs every secret and the mail settings; each missing one is
    // named (one issue each, so one message lists them all).
    if (productionStart) {
      const missing: [string, boolean, string][] = [
        ["NEXTAUTH_SECRET", !v.NEXTAUTH_SECRET, "signs sessions; e.g. `openssl rand -base64 32`"],
        ["NEXTAUTH_URL", !v.NEXTAUTH_URL, "the https:// URL the app is served at"],
        ["TWOFACTOR_ENCRYPTION_KEYS", !keys, "e.g. `1:$(openssl rand -base64 32)`"],
        [
          "TWOFACTOR_KEY_VERSION",
          !keys && v.TWOFACTOR_KEY_VERSION === undefined,
          "the key version for new secrets, e.g. 1",
        ],
        ["MAIL_FROM", !v.MAIL_FROM, "the sender of every mail, e.g. `Twofold <security@example.com>`"],
        [
          "RESEND_API_KEY",
          !v.RESEND_API_KEY && v.MAIL_TRANSPORT !== "local",
          "to deliver mail; or MAIL_TRANSPORT=local to keep mail in the database, undelivered",
        ],
        ...twilioMissing(v, "or SMS_TRANSPORT=local to keep texts in the database, undelivered"),
      ];
      for (const [name, absent, hint] of missing) {
        if (absent) ctx.addIssue({ code: "custom", path: [name], message: `is required in production (${hint})` });
      }
      if (v.TEST_MAILBOX_TOKEN && !v.TEST_MAILBOX_ALLOW_PRODUCTION) {
        ctx.addIssue({
          code: "custom",
          path: ["TEST_MAILBOX_TOKEN"],
          message:
            "the test mailbox API lets its token holder read every mail: refused in production unless TEST_MAILBOX_ALLOW_PRODUCTION=1 says this deployment is a test one (e.g. staging)",
        });
      }
      if (v.DEV_MAILBOX) {
        ctx.addIssue({
          code: "custom",
          path: ["DEV_MAILBOX"],
          message: "the development mailbox is never served in production (only in development or the demo)",
        });
      }
    }
    if (v.SMS_TRANSPORT === "twilio" && !productionStart) {
      for (const [name, absent, hint] of twilioMissing(v, "")) {
        if (absent)
          ctx.addIssue({ code: "custom", path: [name], message: `is required when SMS_TRANSPORT=twilio (${hint})` });
      }
    }
    const twilioSet = TWILIO_VARIABLES.filter((name) => v[name] !== undefined);
    if (twilioSet.length > 0 && v.SMS_TRANSPORT === undefined && !productionStart) {
      for (const [name, absent, hint] of twilioMissing(v, "")) {
        if (absent)
          ctx.addIssue({
            code: "custom",
            path: [name],
            message: `is required when ${twilioSet.join(", ")} ${twilioSet.length === 1 ? "is" : "are"} set (${hint})`,
          });
      }
    }
    if (v.MAIL_TRANSPORT === "resend" && !v.RESEND_API_KEY) {
      ctx.addIssue({ code: "custom", path: ["RESEND_API_KEY"], message: "is required when MAIL_TRANSPORT=resend" });
    }
    if (keys && v.TWOFACTOR_KEY_VERSION === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["TWOFACTOR_KEY_VERSION"],
        message: "is required when TWOFACTOR_ENCRYPTION_KEYS is set (the version that encrypts new secrets)",
      });
    }
    // (In a production start without keys, the missing keys are already named above.)
    if (v.TWOFACTOR_KEY_VERSION !== undefined && !keys?.has(v.TWOFACTOR_KEY_VERSION) && !(productionStart && !keys)) {
      ctx.addIssue({
        code: "custom",
        path: ["TWOFACTOR_KEY_VERSION"],
        message: `must be one of the versions in TWOFACTOR_ENCRYPTION_KEYS (${keys ? [...keys.keys()].join(", ") : "unset"})`,
      });
    }
    const oidcSet = OIDC_VARIABLES.filter((name) => v[name] !== undefined);
    if (oidcSet.length > 0) {
      for (const name of OIDC_VARIABLES.filter((n) => v[n] === undefined)) {
        ctx.addIssue({
          code: "custom",
          path: [name],
          message: `is required when ${oidcSet.join(", ")} ${oidcSet.length === 1 ? "is" : "are"} set (SSO needs ${OIDC_VARIABLES.join(", ")})`,
        });
      }
    }
    if (v.NODE_ENV === "production" && v.OIDC_ISSUER && !building) {
      const { protocol, hostname } = new URL(v.OIDC_ISSUER);
      if (protocol !== "https:" && !["localhost", "127.0.0.1", "[::1]"].includes(hostname)) {
        ctx.addIssue({ code: "custom", path: ["OIDC_ISSUER"], message: "must be an https:// URL in production" });
      }
    }
  });

/** SSO through the organization's OpenID Connect provider, when configured (lib/auth/options.ts, lib/services/sign-in/sso-sign-in.ts). */
export interface OidcConfig {
  /** Without a trailing slash. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  organizationSlug: string;
  displayName: string;
}

const DEFAULT_APP_URL = "http://localhost:3000";
const DEFAULT_MAIL_FROM = "Twofold <security@twofold.local>";

/** "Twofold <security@example.com>" → "security@example.com" (a bare address is returned as it is). */
export function mailAddress(from: string): string {
  return (/<([^>]+)>/.exec(from)?.[1] ?? from).trim();
}

export type Env = Omit<z.infer<typeof schema>, "NEXTAUTH_URL" | "MAIL_FROM" | "SALES_EMAIL"> & {
  /** The configured app URL (http://localhost:3000 outside production when unset). */
  NEXTAUTH_URL: string;
  /** The origin of NEXTAUTH_URL: the only origin whose state-changing requests are accepted. */
  appOrigin: string;
  MAIL_FROM: string;
  /** Upgrade requests are mailed here (SALES_EMAIL, else the address of MAIL_FROM). */
  SALES_EMAIL: string;
  /** The demo (embedded database or TWOFOLD_DEMO): seeded, generated secrets, the development mailbox. */
  demo: boolean;
  devMailbox: boolean;
  mailTransport: "resend" | "local";
  smsTransport: "twilio" | "local";
  /** null when SSO is not configured. */
  oidc: OidcConfig | null;
};

export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".") || "(root)"}: ${i.message}`);
    const production = result.error.issues.some((i) => i.message.startsWith("is required in production"));
    const hint = production
      ? "\nA production start (NODE_ENV=production with DATABASE_URL) needs these; for the demo, unset DATABASE_URL (embedded database) or set TWOFOLD_DEMO=1."
      : "";
    throw new Error(`Invalid configuration (environment variables):\n${lines.join("\n")}${hint}`);
  }
  const v = result.data;
  const demo = v.TWOFOLD_DEMO === true;
  const appUrl = (v.NEXTAUTH_URL ?? DEFAULT_APP_URL).replace(/\/+$/, "");
  return {
    ...v,
    NEXTAUTH_URL: appUrl,
    appOrigin: new URL(appUrl).origin,
    MAIL_FROM: v.MAIL_FROM ?? DEFAULT_MAIL_FROM,
    SALES_EMAIL: v.SALES_EMAIL ?? mailAddress(v.MAIL_FROM ?? DEFAULT_MAIL_FROM),
    demo,
    // Never in production, except the demo (where it is on unless DEV_MAILBOX=0).
    devMailbox: v.NODE_ENV !== "production" || demo ? (v.DEV_MAILBOX ?? true) : false,
    mailTransport: v.MAIL_TRANSPORT ?? (v.RESEND_API_KEY ? "resend" : "local"),
    smsTransport: v.SMS_TRANSPORT ?? (v.TWILIO_ACCOUNT_SID ? "twilio" : "local"),
    oidc:
      v.OIDC_ISSUER && v.OIDC_CLIENT_ID && v.OIDC_CLIENT_SECRET && v.OIDC_ORGANIZATION_SLUG
        ? {
            issuer: v.OIDC_ISSUER.replace(/\/+$/, ""),
            clientId: v.OIDC_CLIENT_ID,
            clientSecret: v.OIDC_CLIENT_SECRET,
            organizationSlug: v.OIDC_ORGANIZATION_SLUG,
            displayName: v.OIDC_DISPLAY_NAME,
          }
        : null,
  };
}

let loaded: Env | undefined;
function loadEnv(): Env {
  loaded ??= parseEnv(process.env);
  return loaded;
}

/** The validated configuration, read on first use (so importing this module never throws by itself). */
export const env: Env = new Proxy({} as Env, {
  get: (_target, property) => loadEnv()[property as keyof Env],
});

/** Validates the configuration for a Next phase (next.config.ts): fails naming the variable. */
export function validateEnv(phase: string): Env {
  loaded = parseEnv({ ...process.env, NEXT_PHASE: process.env.NEXT_PHASE ?? phase });
  return loaded;
}

/**
 * How `npm start` / `npm run dev` run (scripts/run.ts): without DATABASE_URL on the embedded database, which is the
 * demo; with DATABASE_URL the demo only when TWOFOLD_DEMO is set. Only the demo seeds Acme Inc, generates missing
 * secrets into the data directory and serves the development mailbox.
 */
export function startPlan(source: Record<string, string | undefined>): { embedded: boolean; demo: boolean } {
  const embedded = !source.DATABASE_URL;
  const flag = bool.safeParse(source.TWOFOLD_DEMO || "0");
  return { embedded, demo: embedded || (flag.success && flag.data) };
}

/** The database URL, or a clear error naming the variable when it is not configured. */
export function databaseUrl(): string {
  if (!env.DATABASE_URL) {
    throw new Error("DATABASE_URL is not set: start the app with `npm start` (embedded database) or set DATABASE_URL.");
  }
  return env.DATABASE_URL;
}

/** The secret for next-auth JWTs. In development a fixed, clearly-named value is used when unset. */
export function authSecret(): string {
  return env.NEXTAUTH_SECRET ?? "development-only-secret-not-for-production-use!!";
}
