// S45: the next-auth credentials `authorize` never passes a raw database error to the browser (next-auth hands the
// thrown message to the client as `result.error`). A PostgreSQL trigger makes the session insert fail mid sign-in.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createOrgWithOwner, ctx, PASSWORD } from "@/test/factories";
import { footprint, injectFault } from "@/test/fault";
import { errorMessages } from "../errors";
import { CHALLENGE_COOKIE, passwordStep } from "../services/sign-in";
import { authOptions } from "./options";

type Authorize = (credentials: Record<string, string>, req: { headers: Record<string, string> }) => Promise<unknown>;
const authorize = (authOptions.providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize;

describe("credentials authorize", () => {
  it("a database failure reaches the browser only as the generic message, and nothing is half done", async () => {
    const owner = await createOrgWithOwner();
    const { challengeToken } = await passwordStep({ email: owner.email, password: PASSWORD }, ctx);
    const marker = `fault-${randomBytes(8).toString("hex")}`;
    const req = { headers: { cookie: `${CHALLENGE_COOKIE}=${challengeToken}`, "user-agent": marker } };
    const before = await footprint([owner.userId, marker]);
    const remove = await injectFault("Session", marker);
    const thrown = await authorize({}, req).then(
      () => null,
      (e: unknown) => e,
    );
    await remove();
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toBe(`INTERNAL|${errorMessages.INTERNAL}`);
    expect(await footprint([owner.userId, marker])).toEqual(before);
    // The pending sign-in was not used up: the same browser completes it once the database is healthy.
    expect(await authorize({}, req)).toMatchObject({ id: owner.userId, email: owner.email });
  });
});
