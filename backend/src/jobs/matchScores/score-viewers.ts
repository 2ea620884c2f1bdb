import type { JobContext } from "@feed-jobs/jobs";
import { type BatchSetup, type ScoredList, scoreBatch } from "./batch.ts";
import { clockOf, type MatchScoresConfig } from "./config.ts";
import { type Population, ProfileCache } from "./profiles.ts";
import { matchAlgorithm } from "./versions.ts";
import type { ListWriter } from "./writer.ts";

/** Profiles kept in memory per run (≈1 kB each): the whole population up to this size. */
export const PROFILE_CACHE_LIMIT = 250_000;

/** Where pools come from (see the `candidateSearch` setting), once a run has chosen. */
export type CandidateSearch = "memory" | "pgvector" | "exact";

/** What a run (or each shard of a full run, summed) notes about its lists. */
export interface ListTotals {
  lists: number;
  emptyLists: number;
  matchScores: number;
  narrowed: number;
  ineligible: number;
}

export const emptyTotals = (): ListTotals => ({
  lists: 0,
  emptyLists: 0,
  matchScores: 0,
  narrowed: 0,
  ineligible: 0,
});

export const LIST_TOTALS: readonly (keyof ListTotals)[] = [
  "lists",
  "emptyLists",
  "matchScores",
  "narrowed",
  "ineligible",
];

/** How a run or a shard scores: its clock, version and search; `population` for "memory". */
export function batchSetup(
  ctx: JobContext<MatchScoresConfig>,
  search: CandidateSearch,
  population: Population | undefined,
  unplaceable: ReadonlySet<string>,
): BatchSetup {
  return {
    db: ctx.db,
    clock: clockOf(ctx.now, ctx.config),
    config: ctx.config,
    ...matchAlgorithm(ctx.algorithmVersion, ctx.config),
    useVector: search === "pgvector",
    cache: new ProfileCache(PROFILE_CACHE_LIMIT),
    population,
    unplaceable,
    withFactors: ctx.collect !== undefined,
  };
}

/**
 * Scores `viewerIds` batch by batch, in their order: each batch's lists go to `writer` (none in
 * a dry run) while the next is scored, and to `collect` (a dry run for eval or tune, with each
 * pair's factors). Notes the totals; returns them and the first list (a dry run's sample).
 */
export async function scoreViewers(
  ctx: JobContext<MatchScoresConfig>,
  setup: BatchSetup,
  viewerIds: readonly string[],
  writer: ListWriter | undefined,
): Promise<{ totals: ListTotals; first: ScoredList | undefined }> {
  const totals = emptyTotals();
  let first: ScoredList | undefined;
  try {
    for (let i = 0; i < viewerIds.length; i += ctx.config.batchSize) {
      await ctx.checkpoint();
      const outcome = await scoreBatch(setup, viewerIds.slice(i, i + ctx.config.batchSize));
      ctx.scanned(outcome.rowsScanned);
      for (const failure of outcome.failures) ctx.failed(failure.viewerId, failure.error);
      await writer?.write(outcome.lists);
      ctx.collect?.(outcome.lists);
      first ??= outcome.lists[0];
      totals.lists += outcome.lists.length;
      totals.emptyLists += outcome.lists.filter((l) => l.candidates.length === 0).length;
      totals.matchScores += outcome.lists.reduce((n, l) => n + l.candidates.length, 0);
      totals.narrowed += outcome.narrowed;
      totals.ineligible += outcome.ineligible;
      ctx.processed(outcome.lists.length + outcome.ineligible);
    }
    await writer?.finish();
  } catch (error) {
    await writer?.abandon();
    throw error;
  }
  for (const key of LIST_TOTALS) ctx.note(key, totals[key]);
  return { totals, first };
}
