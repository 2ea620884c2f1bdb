import {
  countIneligibleUsers,
  type Database,
  eligiblePerson,
  type IneligibleReason,
  ineligibleReason,
  Prisma,
  rebuildCopyOf,
} from "@feed-jobs/db";
import type { JobContext } from "@feed-jobs/jobs";
import { type IdRange, inRange } from "./shards.ts";

/**
 * How the jobs whose inputs are people (compatibility, affinity, viewer-state, content-features)
 * select by the eligibility rule (@feed-jobs/db `eligiblePerson`), remove the rows of the people
 * it leaves out, and account for them: once per run, one query.
 */

/** The client or an interactive transaction: these functions work with either. */
type Sql = Pick<Prisma.TransactionClient, "$queryRaw" | "$executeRaw">;

/** Every user eligible at `now` (of `range`: a shard's), in id order. */
export async function eligibleUserIds(
  db: Sql,
  now: Date,
  range: IdRange = { afterId: null, throughId: null },
): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT u.id FROM users u WHERE ${eligiblePerson("u", now)} AND ${inRange("u.id", range)}
    ORDER BY u.id`;
  return rows.map((r) => r.id);
}

/**
 * Every user not eligible at `now`. Read apart from the deletes that use them: the planner
 * cannot estimate the rule's CASE, but it sees how many ids an array holds, so each delete
 * finds its few rows by index instead of scanning its table.
 */
export async function ineligibleUserIds(db: Sql, now: Date): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT u.id FROM users u WHERE NOT ${eligiblePerson("u", now)}`;
  return rows.map((r) => r.id);
}

/** An output table whose rows name people: trusted constants, spliced into SQL as written. */
export interface PeopleRows {
  readonly table: string;
  /** Each column holds a users.id; each must lead an index (the delete finds rows by it). */
  readonly personColumns: readonly string[];
}

/**
 * Removes the rows of `rows.table` in which any person is not eligible at `now` (all of them,
 * or only the rows naming `userId` in any person column), and returns how many. One delete per
 * column, by its index, so that a run's cleanup costs the few ineligible people's rows.
 */
export async function removeRowsOfIneligiblePeople(
  db: Sql,
  rows: PeopleRows,
  now: Date,
  userId: string | null,
): Promise<number> {
  const ineligible = await ineligibleUserIds(db, now);
  if (ineligible.length === 0) return 0;
  const columns = rows.personColumns.map((column) => Prisma.raw(`r.${column}`));
  const naming =
    userId === null ? Prisma.empty : Prisma.sql`AND ${userId} IN (${Prisma.join(columns)})`;
  let removed = 0;
  for (const column of columns) {
    removed += await db.$executeRaw`
      DELETE FROM ${Prisma.raw(rows.table)} r
      WHERE ${column} = ANY(${ineligible}::text[]) ${naming}`;
  }
  return removed;
}

/**
 * A full run's check of the rebuild copy of `rows.table` before it is swapped in: no row names
 * a person who is not eligible at `now` (every run removes those rows first, and scores
 * eligible people only). By the person columns' indexes, for the few ineligible people.
 */
export async function assertNoRowsOfIneligiblePeople(
  db: Sql,
  rows: PeopleRows,
  now: Date,
): Promise<void> {
  const ineligible = await ineligibleUserIds(db, now);
  if (ineligible.length === 0) return;
  const copy = rebuildCopyOf(rows.table);
  for (const column of rows.personColumns) {
    const found = await db.$queryRaw<{ id: string }[]>`
      SELECT ${Prisma.raw(column)} AS id FROM ${Prisma.raw(copy)}
      WHERE ${Prisma.raw(column)} = ANY(${ineligible}::text[]) LIMIT 1`;
    const person = found[0]?.id;
    if (person !== undefined) {
      throw new Error(
        `${copy}: a row names ${person} (${column}), who is not eligible at ${now.toISOString()}; the table is left as it was`,
      );
    }
  }
}

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
