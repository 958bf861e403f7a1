// The HTTP server in front of Next: the only place that knows the socket's peer address. It removes any incoming
// copy of our socket-IP header (and Next's internal x-middleware-subrequest, CVE-2025-29927) and sets the real one,
// so lib/net/client-ip.ts can trust it and only honour X-Forwarded-For from TRUSTED_PROXIES.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import next from "next";
import { SOCKET_IP_HEADER } from "../lib/net/client-ip";
import nextConfig from "../next.config";
import { applyMemoryPolicy, formatAbortReasons } from "./memory";

export interface ServerOptions {
  dev: boolean;
  port: number;
  hostname?: string;
}

/** Production: hand Next the configuration the build resolved (`.next/required-server-files.json`, the file Next's own
 *  standalone server starts from, through the same variable), so that Next does not transpile next.config.ts at start:
 *  that loads its SWC compiler, a native module of about 25 MB resident, into the serving process for good (issue 13
 *  target 7). The one value that depends on where the server runs, the origin server actions accept, is taken from
 *  this start's configuration (next.config.ts's function, which validates the environment as Next's load would). */
function adoptBuiltConfig() {
  const file = path.resolve(".next/required-server-files.json");
  const { config } = JSON.parse(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> };
  const now = nextConfig("phase-production-server");
  config.experimental = { ...(config.experimental as object), serverActions: now.experimental?.serverActions };
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(config);
}

export async function startServer({ dev, port, hostname = "0.0.0.0" }: ServerOptions): Promise<http.Server> {
  if (!dev) adoptBuiltConfig();
  formatAbortReasons(); // before any render: every render's end aborts a signal (scripts/memory.ts says why)
  const app = next({ dev, dir: process.cwd(), hostname: hostname === "0.0.0.0" ? "localhost" : hostname, port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const server = http.createServer((req, res) => {
    delete req.headers[SOCKET_IP_HEADER];
    delete req.headers["x-middleware-subrequest"];
    req.headers[SOCKET_IP_HEADER] = req.socket.remoteAddress ?? "";
    handle(req, res).catch((e: unknown) => {
      console.error("request failed", e);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.keepAliveTimeout = 65_000;
  if (!dev) applyMemoryPolicy(server);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, () => resolve());
  });
  return server;
}
