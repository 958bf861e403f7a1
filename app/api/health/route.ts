// Liveness probe for load balancers; also the framework floor in `npm run bench` (no database, no auth).
export const dynamic = "force-dynamic";

export function GET() {
  return new Response("ok", { status: 200, headers: { "content-type": "text/plain", "cache-control": "no-store" } });
}
