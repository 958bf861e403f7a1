// The HTTP server in front of Next: the only place that knows the socket's peer address. It removes any incoming
// copy of our socket-IP header (and Next's internal x-middleware-subrequest, CVE-2025-29927) and sets the real one,
// so lib/net/client-ip.ts can trust it and only honour X-Forwarded-For from TRUSTED_PROXIES.
import http from "node:http";
import next from "next";
import { SOCKET_IP_HEADER } from "../lib/net/client-ip";

export interface ServerOptions {
  dev: boolean;
  port: number;
  hostname?: string;
}

export async function startServer({ dev, port, hostname = "0.0.0.0" }: ServerOptions): Promise<http.Server> {
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
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, () => resolve());
  });
  return server;
}
