import { defineConfig } from "prisma/config";

// DATABASE_URL is read directly (not with prisma's env() helper, which throws when unset and would
// break `prisma generate` during `npm install`). Migrations run through scripts/db-migrate.ts.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx prisma/seed.ts" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5433/postgres" },
});
