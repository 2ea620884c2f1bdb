import { Prisma } from "@feed-jobs/db";
import type { SignalWeights } from "@feed-jobs/scoring/affinity";

/** The client or an interactive transaction: repository functions work with either. */
export type Sql = Pick<Prisma.TransactionClient, "$queryRaw" | "$executeRaw">;

/** Seed "Signal Semantics": the actions (exposure and negative actions are not). */
export const ACTIONS = Prisma.raw("('LIKE', 'COMMENT', 'SHARE', 'PROFILE_VIEW')");

/** Events after `start` (exclusive) and at or before `now` are in the lookback window. */
export interface LookbackWindow {
  readonly start: Date;
  readonly now: Date;
}

/** SQL: the configured weight of engagement event `alias` by its type (NULL for negative types). */
export function typeWeight(alias: string, weights: SignalWeights): Prisma.Sql {
  const type = Prisma.raw(`${alias}.type`);
  return Prisma.sql`CASE ${type} WHEN 'IMPRESSION' THEN ${weights.impression}::float8
                             WHEN 'SEEN' THEN ${weights.seen}::float8
                             WHEN 'PROFILE_VIEW' THEN ${weights.profileView}::float8
                             WHEN 'LIKE' THEN ${weights.like}::float8
                             WHEN 'COMMENT' THEN ${weights.comment}::float8
                             WHEN 'SHARE' THEN ${weights.share}::float8 END`;
}

/** SQL: `decayPerDay ^ (age of timestamp column `column` at the window's end, in days)`. */
export function recencyDecay(column: string, window: LookbackWindow, decayPerDay: number) {
  const at = Prisma.raw(column);
  return Prisma.sql`power(${decayPerDay}::float8,
                         extract(epoch FROM ${window.now}::timestamp - ${at})::float8 / 86400)`;
}
