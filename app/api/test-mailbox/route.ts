// The test mailbox API for QA's flows against a deployment (lib/services/test-mailbox/): GET
// /api/test-mailbox?to=<address>&kind=<template> with `Authorization: Bearer <TEST_MAILBOX_TOKEN>`. 404 when the
// deployment does not enable it or the token is wrong (the route does not reveal that it exists); 200 with
// `{ mail, pending }` otherwise (mail null until delivered).
import { requestContextFromHeaders } from "@/lib/auth/request-context";
import { readLatestTestMail, testMailboxTokenMatches } from "@/lib/services/test-mailbox/test-mailbox";

export const dynamic = "force-dynamic";

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store" },
  });

export async function GET(request: Request) {
  const url = new URL(request.url);
  const to = url.searchParams.get("to") ?? "";
  const kind = url.searchParams.get("kind") ?? "";
  const token = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1] ?? null;
  if (!to || to.length > 320 || !/^[a-z0-9-]{1,64}$/.test(kind)) {
    if (!testMailboxTokenMatches(token)) return json(404, { error: "Not found" });
    return json(400, { error: "to (an email address) and kind (a mail template) are required" });
  }
  const result = await readLatestTestMail({
    token,
    input: { to, kind },
    context: requestContextFromHeaders(request.headers),
  });
  if (result.status !== "ok") return json(404, { error: "Not found" });
  return json(200, { mail: result.mail, pending: result.pending });
}
