// Enumeration by timing (issue 9 item 11): the password step for an unknown email vs a known email with a wrong
// password, interleaved, each attempt from its own network (so no limit is hit). Prints both medians and the gap.
//   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npx tsx bench/enumeration.ts [iterations]
// A figure, not a test (bench/README.md): the medians should be within a millisecond or two of each other.
import { performance } from "node:perf_hooks";
import { createTestDatabase } from "../test/test-database";
import { summarize } from "./stats";

const iterations = Number(process.argv[2] ?? 100);
const database = await createTestDatabase("twofold_bench_enum");
process.env.DATABASE_URL = database.url;
try {
  const { signUp } = await import("../lib/services/accounts/sign-up");
  const { passwordStep } = await import("../lib/services/sign-in/password-step");
  const ctx = { ip: "192.0.2.1", userAgent: "bench" };
  // Each account at most 20 times (under the per-account ceiling of 30, so every attempt reaches the hash); the unknown
  // emails are reused the same way, so both sides insert and update the same number of counter rows.
  const accounts = Math.ceil((iterations + 10) / 20);
  const known = (i: number) => `known-${i % accounts}@example.test`;
  const missing = (i: number) => `nobody-${i % accounts}@example.test`;
  for (let i = 0; i < accounts; i++)
    await signUp({
      input: {
        name: "Known",
        email: known(i),
        password: "correct horse battery staple",
        organizationName: `Bench ${i}`,
      },
      context: ctx,
    });
  let n = 0;
  const attempt = async (who: string) => {
    n++;
    const net = { ip: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`, userAgent: "bench" };
    const start = performance.now();
    await passwordStep({ input: { email: who, password: "wrong password!" }, context: net }).catch(() => undefined);
    return performance.now() - start;
  };
  for (let i = 0; i < 10; i++) await attempt(i % 2 ? known(i) : missing(i));
  const knownTimes: number[] = [];
  const unknownTimes: number[] = [];
  for (let i = 0; i < iterations; i++) {
    // Alternate which goes first, so that neither side always runs right after the other.
    if (i % 2) {
      knownTimes.push(await attempt(known(i)));
      unknownTimes.push(await attempt(missing(i)));
    } else {
      unknownTimes.push(await attempt(missing(i)));
      knownTimes.push(await attempt(known(i)));
    }
  }
  const k = summarize(knownTimes);
  const u = summarize(unknownTimes);
  console.log(`known email, wrong password: median ${k.median.toFixed(2)} ms, p99 ${k.p99.toFixed(2)} ms`);
  console.log(`unknown email:               median ${u.median.toFixed(2)} ms, p99 ${u.p99.toFixed(2)} ms`);
  console.log(`gap (known − unknown):       ${(k.median - u.median).toFixed(2)} ms over ${iterations} pairs`);
} finally {
  await database.drop();
  process.exit(0);
}
