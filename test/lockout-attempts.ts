// A second app process for the lockout integration tests (two processes, one PostgreSQL): fires N wrong attempts in
// parallel through the real services, prints the outcome codes as JSON.
//   tsx test/lockout-attempts.ts <email> <ip> <n>                        wrong passwords for one email from one network
//   tsx test/lockout-attempts.ts code <challengeToken> <ip> <n> <code>   a wrong second-factor code on one sign-in
import { db } from "../lib/db";
import { DomainError } from "../lib/errors";
import { completeSignIn } from "../lib/services/sign-in/complete-sign-in";
import { passwordStep } from "../lib/services/sign-in/password-step";

const args = process.argv.slice(2);
const outcome = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof DomainError ? e.code : `unexpected: ${String(e)}`),
  );

let codes: string[];
if (args[0] === "code") {
  const [, challengeToken = "", ip = "", n = "1", code = ""] = args;
  codes = await Promise.all(
    Array.from({ length: Number(n) }, () =>
      outcome(
        completeSignIn({
          input: { challengeToken, secondFactor: { method: "totp", code } },
          context: { ip, userAgent: "second process" },
        }),
      ),
    ),
  );
} else {
  const [email = "", ip = "", n = "1"] = args;
  codes = await Promise.all(
    Array.from({ length: Number(n) }, (_, i) =>
      outcome(
        passwordStep({
          input: { email, password: `wrong password ${i}` },
          context: { ip, userAgent: "second process" },
        }),
      ),
    ),
  );
}
console.log(JSON.stringify(codes));
await db.$disconnect?.();
process.exit(0);
