// A second app process for integration tests: reads commands on stdin, one per line, and answers one JSON line each,
// using the app's own services against DATABASE_URL (the same database as the test process).
//   check <sessionId>   → {"active": true|false}   (loadActiveSession: what every guard and the jwt callback use)
//   revoke <sessionId>  → {"revoked": true}        (signOutSession: the app's sign-out)
import readline from "node:readline";
import { db } from "../lib/db";
import { loadActiveSession } from "../lib/services/sessions/active-session";
import { signOutSession } from "../lib/services/sessions/sign-out-session";

const lines = readline.createInterface({ input: process.stdin });
const reply = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
reply({ ready: process.pid });
for await (const line of lines) {
  const [command, id = ""] = line.trim().split(/\s+/);
  try {
    if (command === "check") reply({ active: Boolean(await loadActiveSession(id)) });
    else if (command === "revoke") {
      await signOutSession({ input: { sessionId: id }, context: { ip: null, userAgent: `process ${process.pid}` } });
      reply({ revoked: true });
    } else if (command === "exit") break;
    else reply({ error: `unknown command ${command}` });
  } catch (e) {
    reply({ error: e instanceof Error ? e.message : String(e) });
  }
}
await db.$disconnect();
process.exit(0);
