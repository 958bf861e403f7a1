// Two app processes on one database: a session revoked through one is refused by the other on its very next check
// (no cache anywhere between the session row and the guard). Process B is a real second Node process
// (test/session-checker.ts, run with tsx) using the app's services with its own database pool.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrgWithOwner, ctx, signIn } from "@/test/factories";
import { loadActiveSession } from "./sessions/active-session";
import { signOutSession } from "./sessions/sign-out-session";

let child: ChildProcessWithoutNullStreams;
let answers: AsyncIterator<string>;

async function ask(command: string): Promise<Record<string, unknown>> {
  child.stdin.write(`${command}\n`);
  const next = await answers.next();
  if (next.done) throw new Error("process B ended");
  return JSON.parse(next.value) as Record<string, unknown>;
}

beforeAll(async () => {
  const root = path.resolve(import.meta.dirname, "../..");
  child = spawn(path.join(root, "node_modules/.bin/tsx"), [path.join(root, "test/session-checker.ts")], {
    cwd: root,
    env: { ...process.env },
  });
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr += String(d);
  });
  answers = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const first = await answers.next();
  if (first.done) throw new Error(`process B did not start: ${stderr}`);
  expect(JSON.parse(first.value)).toHaveProperty("ready");
  expect(Number(JSON.parse(first.value).ready)).not.toBe(process.pid);
});

afterAll(async () => {
  if (!child) return;
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.stdin.end("exit\n");
  await exited;
});

describe("two app processes, one database", () => {
  it("a session revoked through process A is refused by process B on its next check, and the other way round", async () => {
    const owner = await createOrgWithOwner();
    const one = await signIn(owner);
    const two = await signIn(owner);

    // B has seen the session as active (and would have cached it, if it cached anything).
    expect(await ask(`check ${one}`)).toEqual({ active: true });
    expect(await ask(`check ${one}`)).toEqual({ active: true });
    await signOutSession({ input: { sessionId: one }, context: ctx }); // A
    expect(await ask(`check ${one}`)).toEqual({ active: false });
    expect(await ask(`check ${two}`)).toEqual({ active: true });

    // B signs out the other session; A refuses it at once.
    expect(await loadActiveSession(two)).not.toBeNull();
    expect(await ask(`revoke ${two}`)).toEqual({ revoked: true });
    expect(await loadActiveSession(two)).toBeNull();
    expect(await ask(`check ${two}`)).toEqual({ active: false });
  });
});
