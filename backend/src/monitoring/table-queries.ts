import { type Database, Prisma } from "@feed-jobs/db";
import { QUANTILE_PROBABILITIES, type Quantiles, quantilesFrom } from "./distribution.ts";
import type { OutputTable } from "./output-tables.ts";

/** Repository functions over the jobs' output tables (read only). */

export interface Coverage {
  eligible: number;
  /** Eligible items whose newest row is fresh. */
  covered: number;
  /** The oldest row among eligible items' rows; null when they have none. */
  oldestAt: Date | null;
}

export async function measureCoverage(
  db: Database,
  table: OutputTable,
  now: Date,
): Promise<Coverage> {
  const name = Prisma.raw(`"${table.coverageTable ?? table.table}"`);
  const item = Prisma.raw(`"${table.itemColumn}"`);
  const rows = await db.prisma.$queryRaw<Coverage[]>`
    WITH rows_by_item AS (
      SELECT ${item} AS item, max(computed_at) AS last_at, min(computed_at) AS oldest_at
      FROM ${name} GROUP BY ${item}
    )
    SELECT count(*)::int AS eligible,
           count(*) FILTER (WHERE r.last_at >= e.fresh_since)::int AS covered,
           min(r.oldest_at) AS "oldestAt"
    FROM (${table.eligibleItems(now)}) AS e
    LEFT JOIN rows_by_item r ON r.item = e.id`;
  return rows[0] ?? { eligible: 0, covered: 0, oldestAt: null };
}

export interface Distribution {
  rows: number;
  quantiles: Quantiles;
}

/** Quantiles of the table's score column over all its rows; null when it has none. */
export async function measureDistribution(
  db: Database,
  table: OutputTable,
): Promise<Distribution | null> {
  const name = Prisma.raw(`"${table.table}"`);
  const score = Prisma.raw(`"${table.scoreColumn}"`);
  const rows = await db.prisma.$queryRaw<
    { rows: number; q: number[] | null; mean: number | null }[]
  >`
    SELECT count(${score})::int AS rows,
           percentile_cont(${[...QUANTILE_PROBABILITIES]}::float8[]) WITHIN GROUP (ORDER BY ${score}) AS q,
           avg(${score})::float8 AS mean
    FROM ${name}`;
  const row = rows[0];
  if (!row || row.rows === 0 || !row.q || row.mean === null) return null;
  return { rows: row.rows, quantiles: quantilesFrom(row.q, row.mean) };
}
