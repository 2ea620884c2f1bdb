import {
  countIneligibleUsers,
  type Database,
  type IneligibleReason,
  ineligibleReason,
  Prisma,
} from "@feed-jobs/db";
import type { JobContext } from "@feed-jobs/jobs";

/**
 * How the jobs whose inputs are people (compatibility, affinity, viewer-state) account for the
 * ones the eligibility rule (@feed-jobs/db `eligiblePerson`) leaves out: once per run, one query.
 */

/** The reason user `userId` is not eligible at `now`; null when eligible or unknown. */
export async function ineligibleReasonOf(
  db: Database,
  userId: string,
  now: Date,
): Promise<IneligibleReason | null> {
  const rows = await db.prisma.$queryRaw<{ reason: IneligibleReason | null }[]>(Prisma.sql`
    SELECT ${ineligibleReason("u", now)} AS reason FROM users u WHERE u.id = ${userId}`);
  return rows[0]?.reason ?? null;
}

/**
 * Counts the run's ineligible inputs by reason in its JobRun (`metadata.excluded`): every
 * ineligible user for a whole-table run, or the one user of a `--user-id` run, whose reason
 * is returned (null: eligible) and logged, so that the job can skip them.
 */
export async function countIneligibleInputs(
  ctx: JobContext<unknown>,
  userId?: string,
): Promise<IneligibleReason | null> {
  if (userId === undefined) {
    const counts = await countIneligibleUsers(ctx.db, ctx.now);
    for (const [reason, n] of Object.entries(counts)) ctx.excluded(reason, n);
    return null;
  }
  const reason = await ineligibleReasonOf(ctx.db, userId, ctx.now);
  if (reason !== null) {
    ctx.excluded(reason);
    ctx.log(`${userId} is not eligible (${reason}): skipped, nothing to score`);
  }
  return reason;
}
