// The production configuration of the server under test (e2e/web-server.ts) — not the demo: every secret set, mail
// kept in the database for the fixtures to read (e2e/fixtures.ts). The seed runs with the same values.
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_LOCAL_URL = `http://localhost:${E2E_PORT}`;
/** A running deployment to test instead (`--project=deployed`); unset: the server e2e/web-server.ts starts. */
export const E2E_TARGET_URL = process.env.E2E_BASE_URL?.replace(/\/+$/, "") || null;
export const E2E_BASE_URL = E2E_TARGET_URL ?? E2E_LOCAL_URL;

/** The local server enables the test mailbox API with this token, so the `deployed` project runs against it too. */
export const E2E_TEST_MAILBOX_TOKEN = "e2e-test-mailbox-token-for-the-local-server-only";

export const E2E_APP_ENV = {
  NEXTAUTH_URL: E2E_LOCAL_URL,
  NEXTAUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret-e2e-secret",
  TWOFACTOR_ENCRYPTION_KEYS: `1:${Buffer.alloc(32, 1).toString("base64")}`,
  TWOFACTOR_KEY_VERSION: "1",
  MAIL_TRANSPORT: "local",
  // Texts (issue 12) stay in the database too, read by the `sms` fixture; delivery through Twilio's SDK is tested
  // against the local stand-in (test/twilio-standin.ts) by the integration tests.
  SMS_TRANSPORT: "local",
  MAIL_FROM: "Twofold <security@twofold.local>",
  TEST_MAILBOX_TOKEN: E2E_TEST_MAILBOX_TOKEN,
  TEST_MAILBOX_ALLOW_PRODUCTION: "1",
};

/** What the web server hands the test run (e2e/global-setup.ts reads it): one file per port. */
export const E2E_STATE_FILE = `node_modules/.cache/twofold-e2e/server-${E2E_PORT}.json`;
export interface E2EState {
  databaseUrl: string;
  /** The PostgreSQL server fresh databases are made on; empty: the in-memory PGlite (specs that need their own). */
  postgresServerUrl: string;
  build: { hash: string; builtAt: string };
  pid: number;
}
