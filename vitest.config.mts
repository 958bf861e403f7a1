import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname) };

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["{lib,app,components,scripts,test}/**/*.test.{ts,tsx}"],
          exclude: ["**/*.int.test.{ts,tsx}", "node_modules/**"],
          environment: "node",
          env: { NODE_ENV: "test" },
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["{lib,app,scripts,test}/**/*.int.test.{ts,tsx}"],
          environment: "node",
          globalSetup: ["test/global-setup.ts"],
          env: { NODE_ENV: "test" },
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: "forks",
          // The embedded fallback (PGlite, no DATABASE_URL) is ONE Postgres session shared by every connection: test
          // files running side by side would interleave their transactions there, so they run one at a time.
          maxWorkers: process.env.DATABASE_URL ? 2 : 1,
        },
      },
    ],
  },
});
