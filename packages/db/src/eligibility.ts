import type { Database } from "./database.ts";
import { Prisma } from "./generated/prisma/client.ts";

/**
 * The one eligibility rule for people, used by every job's inputs, the feed and monitoring:
 * a person may be scored or shown (as viewer, candidate, author, creator or partner) only when
 * they are an adult by birth date and neither deactivated nor deleted as of the run's clock.
 * Jobs may narrow it (match-scores also needs a gender and recent activity); none may widen it.
 */

/** Age of majority in whole years; nobody younger is scored or shown anywhere. */
export const ADULT_AGE = 18;

/** Why a person is not eligible, in the words JobRun metadata counts them by. */
export type IneligibleReason = "deleted" | "deactivated" | "noBirthDate" | "minor";

const col = (alias: string, column: string) => Prisma.raw(`${alias}.${column}`);

/** The latest birth date of an adult at `now` (its UTC date), as SQL `date`. */
export const adultBornBy = (now: Date) =>
  Prisma.sql`(${now.toISOString().slice(0, 10)}::date - make_interval(years => ${ADULT_AGE}))::date`;

/** SQL boolean, never NULL: the users row `alias` is eligible at `now`. */
export function eligiblePerson(alias: string, now: Date): Prisma.Sql {
  return Prisma.sql`(${ineligibleReason(alias, now)} IS NULL)`;
}

/**
 * SQL text: the first {@link IneligibleReason} of users row `alias` at `now`, or NULL when
 * eligible. Deletion and deactivation win over age so that counts by reason do not overlap.
 */
export function ineligibleReason(alias: string, now: Date): Prisma.Sql {
  const c = (column: string) => col(alias, column);
  return Prisma.sql`(CASE
    WHEN ${c("deleted_at")} IS NOT NULL AND ${c("deleted_at")} <= ${now} THEN 'deleted'
    WHEN ${c("deactivated_at")} IS NOT NULL AND ${c("deactivated_at")} <= ${now} THEN 'deactivated'
    WHEN ${c("birth_date")} IS NULL THEN 'noBirthDate'
    WHEN ${c("birth_date")} > ${adultBornBy(now)} THEN 'minor'
  END)`;
}

/**
 * Counts the users at `now` who are not eligible, by reason (only reasons with at least one
 * user), for a run's metadata: `ctx.excluded(reason, n)` for each.
 */
export async function countIneligibleUsers(
  db: Database,
  now: Date,
): Promise<Partial<Record<IneligibleReason, number>>> {
  const rows = await db.prisma.$queryRaw<{ reason: IneligibleReason; n: number }[]>(Prisma.sql`
    SELECT reason, count(*)::int AS n
    FROM (SELECT ${ineligibleReason("u", now)} AS reason FROM users u WHERE u.created_at <= ${now}) r
    WHERE reason IS NOT NULL GROUP BY reason ORDER BY reason`);
  return Object.fromEntries(rows.map((r) => [r.reason, r.n]));
}
