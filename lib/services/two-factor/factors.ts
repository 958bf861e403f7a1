import { db, Prisma, type SecondFactorMethod, type Tx } from "../../db";

// Which second factors a person has (issue 12): an authenticator app (TotpFactor), a phone for SMS codes
// (PhoneFactor), or both. Everything that asks "has 2FA" asks it here, so a phone counts everywhere an app does.

export interface FactorSet {
  app: boolean;
  sms: boolean;
}

/** Whether the person has any second factor. */
export const hasAnyFactor = (f: FactorSet): boolean => f.app || f.sms;

/** "App", "SMS", "App + SMS", or null without a factor: the words of the Users table and its CSV. */
export function factorMethodLabel(f: FactorSet): string | null {
  if (f.app && f.sms) return "App + SMS";
  if (f.app) return "App";
  if (f.sms) return "SMS";
  return null;
}

/** The person's factors, two primary-key look-ups. */
export async function factorsOf(userId: string, { tx = db }: { tx?: Tx } = {}): Promise<FactorSet> {
  const [app, sms] = await Promise.all([
    tx.totpFactor.findUnique({ where: { userId }, select: { userId: true } }),
    tx.phoneFactor.findUnique({ where: { userId }, select: { userId: true } }),
  ]);
  return { app: Boolean(app), sms: Boolean(sms) };
}

/** Whether the factors include one of `allowed` (an organization's allowed methods). */
export function hasAllowedFactor(f: FactorSet, allowed: readonly SecondFactorMethod[]): boolean {
  return (allowed.includes("TOTP") && f.app) || (allowed.includes("SMS") && f.sms);
}

/** Prisma filter: users with at least one second factor. */
export const userWithFactor: Prisma.UserWhereInput = {
  OR: [{ totpFactor: { isNot: null } }, { phoneFactor: { isNot: null } }],
};

/** Prisma filter: users with no second factor at all. */
export const userWithoutFactor: Prisma.UserWhereInput = { totpFactor: { is: null }, phoneFactor: { is: null } };

/** SQL: the user `userId` (a column expression, e.g. m."userId") has an authenticator app. */
export const hasAppSql = (userId: Prisma.Sql): Prisma.Sql =>
  Prisma.sql`EXISTS (SELECT 1 FROM "TotpFactor" tf WHERE tf."userId" = ${userId})`;

/** SQL: the user has a phone for SMS codes. */
export const hasSmsSql = (userId: Prisma.Sql): Prisma.Sql =>
  Prisma.sql`EXISTS (SELECT 1 FROM "PhoneFactor" pf WHERE pf."userId" = ${userId})`;

/** SQL: the user has any second factor. */
export const hasFactorSql = (userId: Prisma.Sql): Prisma.Sql =>
  Prisma.sql`(${hasAppSql(userId)} OR ${hasSmsSql(userId)})`;
