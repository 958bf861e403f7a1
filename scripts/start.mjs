#!/usr/bin/env node
// `npm start` and `npm run worker`: run the compiled processes (dist/server/*.js, plain JavaScript on `node`: no
// TypeScript loader at run time). On a fresh clone, or after `rm -rf .next`, the server is compiled first (about a
// second); run.js itself builds the Next bundle when there is none. After changing the code, run `npm run build`.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

// The compiled output (scripts/build-server.mjs OUT_DIR). build-server.mjs (and esbuild) is imported only when a
// compile is needed: the serving process loads nothing but the product (issue 13: a lean server process).
const OUT_DIR = "dist/server";
const worker = process.argv[2] === "worker";
const entry = path.resolve(OUT_DIR, worker ? "outbox-worker.js" : "run.js");
const compiled = ["run.js", "db-migrate.js", "outbox-worker.js", "seed.js"].every((f) =>
  fs.existsSync(path.resolve(OUT_DIR, f)),
);
if (!compiled || !fs.existsSync(path.resolve(".next/BUILD_ID")))
  await (await import("./build-server.mjs")).buildServer();
// `npm run worker` is the production worker, as `npm start` is the production server (run.js sets it for the server).
if (worker) {
  process.argv.splice(2, 1);
  process.env.NODE_ENV = "production";
} else process.argv.splice(2, 0, "start");
await import(pathToFileURL(entry).href);
