import { z } from "zod";

// The only reader of process.env. Validated once, at build (next.config.ts imports this) and at start;
// a missing or malformed value fails with a message naming the variable.

const bool = z.enum(["0", "1", "true", "false"]).transform((v) => v === "1" || v === "true");
const cidrList = z
  .string()
  .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[0-9a-fA-F:.]+(\/\d{1,3})?$/, "expected IP addresses or CIDR ranges, comma-separated")));

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL")
      .optional(),
    NEXTAUTH_SECRET: z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -base64 32`)").optional(),
    NEXTAUTH_URL: z.url("must be the absolute URL the app is served at").default("http://localhost:3000"),
    RESEND_API_KEY: z.string().min(1).optional(),
    RESEND_BASE_URL: z.url().optional(),
    MAIL_FROM: z.string().min(3).default("Twofold <security@twofold.local>"),
    DEV_MAILBOX: bool.optional(),
    OUTBOX_WORKER: z.enum(["inline", "off"]).default("inline"),
    TRUSTED_PROXIES: cidrList.default([]),
    SESSION_MAX_AGE_HOURS: z.coerce.number().int().min(1).max(72).default(12),
    SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(120),
  })
  .superRefine((v, ctx) => {
    if (v.NODE_ENV === "production" && !v.NEXTAUTH_SECRET && process.env.NEXT_PHASE !== "phase-production-build") {
      ctx.addIssue({ code: "custom", path: ["NEXTAUTH_SECRET"], message: "is required in production" });
    }
  });

export type Env = z.infer<typeof schema> & { devMailbox: boolean; mailTransport: "resend" | "local" };

export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new Error(`Invalid configuration (environment variables):\n${lines.join("\n")}`);
  }
  const v = result.data;
  return {
    ...v,
    devMailbox: v.DEV_MAILBOX ?? v.NODE_ENV !== "production",
    mailTransport: v.RESEND_API_KEY ? "resend" : "local",
  };
}

export const env: Env = parseEnv(process.env);

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
