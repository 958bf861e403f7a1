// Micro-benchmark: one `verifySecondFactor` call on the server (issue "Personal 2FA": median over 1,000).
//
//   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npx tsx bench/verify.ts [iterations]
//
// A fresh migrated database (local PostgreSQL from DATABASE_URL, or an in-memory PGlite without it), one user who
// enrolled through the real services, then `iterations` successful TOTP verifications, each with the code of the next
// 30-second step (a step is accepted once per user, S6), so every call does the whole path: lock check, decryption,
// ±1 window match, the conditional replay update, clearing the failure counter, counting recovery codes.
// Prints one line and appends it to bench/results/verify.md. Never a timed test (bench/README.md).
import fs from "node:fs";
import path from "node:path";
import { createTestDatabase } from "../test/test-database";
import { formatMeasurement, measure } from "./micro";

const iterations = Number(process.argv[2] ?? 1000);
const database = await createTestDatabase("twofold_bench_verify");
process.env.DATABASE_URL = database.url;
try {
  const { totpAt } = await import("../lib/crypto/totp");
  const { db } = await import("../lib/db");
  const { signUp } = await import("../lib/services/accounts/sign-up");
  const { passwordStep } = await import("../lib/services/sign-in/password-step");
  const { completeSignIn } = await import("../lib/services/sign-in/complete-sign-in");
  const { startTotpEnrollment } = await import("../lib/services/two-factor/enrollment");
  const { confirmTotpEnrollment } = await import("../lib/services/two-factor/confirm-enrollment");
  const { verifySecondFactor } = await import("../lib/services/two-factor/verification");

  const ctx = { ip: "127.0.0.1", userAgent: "bench" };
  const password = "benchmark password 2026";
  const owner = await signUp({
    input: { name: "Bench", email: "bench@example.test", password, organizationName: "Bench Inc" },
    context: ctx,
  });
  const { challengeToken } = await passwordStep({ input: { email: "bench@example.test", password }, context: ctx });
  const { sessionId } = await completeSignIn({ input: { challengeToken }, context: ctx });
  const actor = { userId: owner.userId, sessionId, organizationId: null };
  const start = new Date();
  const enrollment = await startTotpEnrollment({ actor, context: ctx }, { now: start });
  const secret = new URL(enrollment.otpauthUri).searchParams.get("secret") ?? "";
  await confirmTotpEnrollment(
    { actor, input: { password, code: totpAt(secret, { time: start.getTime() }) }, context: ctx },
    { now: start },
  );

  let step = 1;
  const result = await measure(
    `verifySecondFactor (valid TOTP, ${process.env.DATABASE_URL?.includes(":5432/") ? "PostgreSQL" : "PGlite"})`,
    async () => {
      const now = new Date(start.getTime() + step * 30_000);
      step += 1;
      await verifySecondFactor(
        owner.userId,
        { method: "totp", code: totpAt(secret, { time: now.getTime() }) },
        { purpose: "step-up", context: ctx, now },
        async () => null,
      );
    },
    iterations,
  );
  const line = formatMeasurement(result);
  console.log(line);
  const file = path.resolve("bench/results/verify.md");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!fs.existsSync(file)) fs.writeFileSync(file, "# verifySecondFactor on the server\n\n");
  fs.appendFileSync(file, `- ${new Date().toISOString().slice(0, 16)}Z, Node ${process.version}: ${line}\n`);
  await db.$disconnect();
} finally {
  await database.drop();
}
