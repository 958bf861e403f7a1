// The production configuration of the server under test (playwright.config.ts) — not the demo: every secret set,
// mail kept in the database for the fixtures to read (e2e/support.ts). e2e/run.ts seeds with the same values.
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_BASE_URL = `http://localhost:${E2E_PORT}`;

export const E2E_APP_ENV = {
  NEXTAUTH_URL: E2E_BASE_URL,
  NEXTAUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret-e2e-secret",
  TWOFACTOR_ENCRYPTION_KEYS: `1:${Buffer.alloc(32, 1).toString("base64")}`,
  TWOFACTOR_KEY_VERSION: "1",
  MAIL_TRANSPORT: "local",
  MAIL_FROM: "Twofold <security@twofold.local>",
};
