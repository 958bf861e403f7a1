// A second app process for lib/services/lockout.int.test.ts (two processes, one PostgreSQL): fires N wrong passwords
// in parallel for one email from one network through the real password step, prints the outcome codes as JSON.
//   tsx test/lockout-attempts.ts <email> <ip> <n>
import { db } from "../lib/db";
import { DomainError } from "../lib/errors";
import { passwordStep } from "../lib/services/sign-in/password-step";

const [email = "", ip = "", n = "1"] = process.argv.slice(2);
const codes = await Promise.all(
  Array.from({ length: Number(n) }, (_, i) =>
    passwordStep({
      input: { email, password: `wrong password ${i}` },
      context: { ip, userAgent: "second process" },
    }).then(
      () => "ok",
      (e) => (e instanceof DomainError ? e.code : `unexpected: ${String(e)}`),
    ),
  ),
);
console.log(JSON.stringify(codes));
await db.$disconnect?.();
process.exit(0);
