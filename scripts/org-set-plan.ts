// Operator command (issue 15): change an organization's plan. The console never changes its own plan.
//   npm run org:set-plan -- <org-slug> <FREE|PROFESSIONAL|ENTERPRISE>
// Audited in the organization's log ("The plan changed from Free to Professional (by Twofold)"); pending upgrade
// requests are marked handled. DATABASE_URL selects the database (the embedded one when unset, as npm start does).
import os from "node:os";
import type { Plan } from "../lib/db";

const [slug, planArg] = process.argv.slice(2);
const plan = planArg?.toUpperCase() as Plan | undefined;
if (!slug || !plan || !["FREE", "PROFESSIONAL", "ENTERPRISE"].includes(plan)) {
  console.error("usage: npm run org:set-plan -- <org-slug> <FREE|PROFESSIONAL|ENTERPRISE>");
  process.exit(64);
}

let embedded: { url: string; stop: () => Promise<void> } | undefined;
if (!process.env.DATABASE_URL) {
  const { startEmbeddedDatabase } = await import("../lib/db-tools/embedded");
  embedded = await startEmbeddedDatabase();
  process.env.DATABASE_URL = embedded.url;
}
const { db } = await import("../lib/db");
const { setOrganizationPlan } = await import("../lib/services/dashboard/set-plan");
const { isDomainError } = await import("../lib/errors");
try {
  const r = await setOrganizationPlan({
    input: { slug, plan },
    context: { ip: null, userAgent: `org:set-plan (${os.userInfo().username}@${os.hostname()})` },
  });
  console.log(
    r.changed
      ? `${slug}: plan ${r.from} → ${r.to}${r.requestsHandled ? ` (${r.requestsHandled} upgrade request(s) marked handled)` : ""}.`
      : `${slug} is already on ${r.to}: nothing changed.`,
  );
} catch (e) {
  console.error(
    isDomainError(e, "NOT_FOUND") ? `No organization with the slug "${slug}".` : `Failed: ${(e as Error).message}`,
  );
  process.exitCode = 1;
} finally {
  await db.$disconnect();
  await embedded?.stop();
}
