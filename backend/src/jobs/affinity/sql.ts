import { Prisma } from "@feed-jobs/db";

/** The client or an interactive transaction: repository functions work with either. */
export type Sql = Pick<Prisma.TransactionClient, "$queryRaw" | "$executeRaw">;

/** Seed "Signal Semantics": the actions (exposure and negative actions are not). */
export const ACTIONS = Prisma.raw("('LIKE', 'COMMENT', 'SHARE', 'PROFILE_VIEW')");

/** Events after `start` (exclusive) and at or before `now` are in the lookback window. */
export interface LookbackWindow {
  readonly start: Date;
  readonly now: Date;
}
