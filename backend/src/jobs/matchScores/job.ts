import { type Database, rebuildCopyOf } from "@feed-jobs/db";
import { defineJob, type JobContext } from "@feed-jobs/jobs";
import { clockOf, type MatchScoresConfig, matchScoresConfig } from "./config.ts";
import { invalidInputs } from "./input-queries.ts";
import { inPlaceOrder, loadPopulation } from "./profiles.ts";
import { countEligibleUsers, countUnscorableUsers } from "./queries.ts";
import {
  batchSetup,
  type CandidateSearch,
  emptyTotals,
  LIST_TOTALS,
  type ListTotals,
  PROFILE_CACHE_LIMIT,
  scoreViewers,
} from "./score-viewers.ts";
import { type Scope, selectViewers } from "./selection.ts";
import { planShards, sampleOf, scoreShard } from "./shards.ts";
import type { Clock } from "./sql.ts";
import { MATCH_ALGORITHMS, MATCH_V2 } from "./versions.ts";
import { MATCH_TABLES, rebuiltListsCheck, retireIneligibleViewers } from "./write-queries.ts";
import { openListWriter } from "./writer.ts";

/**
 * Seed "Performance Budgets", for 100k users and K = 200: rows scanned are candidate ids,
 * profiles and negative signals read back (≤ poolCap + 1 per viewer, plus the narrowed pool) or,
 * searching in memory, the users the index tests for each viewer (those of a sought gender and
 * age in the viewer's latitude band: ≈ 410 per viewer at 8k demo users, growing with density,
 * so ≈ 4,000–5,000 at 100k); rows written are deleted and inserted MatchScores plus bookkeeping rows.
 */
const budget = { maxRowsScanned: 600_000_000, maxRowsWritten: 45_000_000, maxRuntimeMs: 300_000 };

/**
 * Where a run's pools come from (see the `candidateSearch` setting). The population is held in
 * memory only up to the profile cache's size.
 */
async function candidateSearch(
  db: Database,
  clock: Clock,
  config: MatchScoresConfig,
  viewers: number,
): Promise<CandidateSearch> {
  if (config.candidateSearch !== "auto") return config.candidateSearch;
  if (
    viewers >= config.inMemoryFromViewers &&
    (await countEligibleUsers(db.prisma, clock)) <= PROFILE_CACHE_LIMIT
  )
    return "memory";
  return (await db.hasVector()) ? "pgvector" : "exact";
}

/** A run's lists once scored: what the summary reports. */
interface Scored {
  readonly totals: ListTotals;
  readonly sample: unknown;
}

type Ctx = JobContext<MatchScoresConfig>;

/** Incremental and one-viewer runs: one job, each batch's lists replacing its viewers' in place. */
async function scoreInPlace(
  ctx: Ctx,
  viewerIds: readonly string[],
  unplaceable: ReadonlySet<string>,
  search: CandidateSearch,
): Promise<Scored> {
  const { db, config } = ctx;
  const population =
    search === "memory" ? await loadPopulation(db.prisma, clockOf(ctx.now, config)) : undefined;
  if (population) ctx.scanned(population.profiles.size);
  const ordered = population ? inPlaceOrder(population, viewerIds) : viewerIds;
  const stamp = { computedAt: ctx.now, algorithmVersion: ctx.algorithmVersion };
  const writer =
    ctx.options.dryRun === true
      ? undefined
      : openListWriter(db, stamp, { into: "tables", written: ctx.written });
  const setup = batchSetup(ctx, search, population, unplaceable);
  const { totals, first } = await scoreViewers(ctx, setup, ordered, writer);
  return { totals, sample: sampleOf(first, config.topN) };
}

/**
 * Full runs: the viewers in shards (`scoreShard`), in this process or on any workers, into
 * copies of the tables swapped in once every shard is done. The shards' notes are summed.
 */
async function scoreInShards(
  ctx: Ctx,
  viewerIds: readonly string[],
  unplaceable: ReadonlySet<string>,
  search: CandidateSearch,
): Promise<Scored> {
  const { notes } = await ctx.distribute(
    planShards(viewerIds, unplaceable, search, ctx.config.shardSize),
  );
  const totals = emptyTotals();
  for (const key of LIST_TOTALS) {
    const summed = notes[key];
    if (typeof summed === "number") totals[key] = summed;
  }
  return { totals, sample: notes.sample };
}

export const matchScoresJob = defineJob({
  name: "match-scores",
  description:
    "Top-K discovery matches per viewer (quiz, interests, proximity, age and goals, soft preferences; never engagement), hard-filtered on gender, ages and distance both ways, dealbreakers, blocks and reports. Default mode without --mode: incremental (only viewers whose lists are missing, stale or affected by a change); --mode full recomputes everyone.",
  algorithmVersion: MATCH_V2,
  algorithms: MATCH_ALGORITHMS,
  schedules: [
    { label: "incremental", cron: "0 */6 * * *", options: { mode: "incremental" } },
    { label: "nightly-full", cron: "0 1 * * *", options: { mode: "full" } },
  ],
  config: matchScoresConfig,
  budget,
  accepts: ["userId", "mode"],
  rebuilds: MATCH_TABLES,
  async run(ctx) {
    const { db, config, options } = ctx;
    const clock = clockOf(ctx.now, config);
    const scope: Scope =
      options.userId !== undefined
        ? { mode: "user", userId: options.userId }
        : { mode: options.mode ?? "incremental" };
    const { mode } = scope;
    const dryRun = options.dryRun === true;
    ctx.note("mode", mode);

    const retired = dryRun
      ? { viewers: 0, rows: 0 }
      : await retireIneligibleViewers(db.prisma, clock, options.userId);
    ctx.written(retired.rows);
    const selection = await selectViewers(db.prisma, clock, config, ctx.algorithmVersion, scope);
    const { viewerIds } = selection;
    ctx.scanned(viewerIds.length);
    ctx.note("selection", {
      viewers: viewerIds.length,
      reasons: selection.reasons,
      changedCandidates: selection.changedCandidates,
    });
    ctx.note("retiredViewers", retired.viewers);
    const unscorable = await countUnscorableUsers(db.prisma, clock, options.userId);
    for (const [reason, n] of Object.entries(unscorable)) ctx.excluded(reason, n);
    ctx.setTotal(viewerIds.length);
    if (viewerIds.length === 0) {
      const why = Object.keys(unscorable).join(", ");
      ctx.log(
        mode === "incremental"
          ? "nothing changed since the last run: no viewer to recompute"
          : mode === "user"
            ? `${options.userId} is not eligible (${why}): skipped, nothing to score`
            : "no eligible viewer",
      );
      return { mode, viewers: 0, retiredViewers: retired.viewers, nothingToDo: true };
    }

    // Invalid inputs among the users the run may read (made usable, or left out, by sql.ts).
    const inputs = await invalidInputs(db.prisma, clock);
    for (const [reason, n] of Object.entries(inputs.invalid)) ctx.excluded(reason, n);
    const search = await candidateSearch(db, clock, config, viewerIds.length);
    ctx.note("candidateSearch", search);
    ctx.note("writes", dryRun ? "none" : mode === "full" ? "rebuild" : "in place");
    const score = mode === "full" ? scoreInShards : scoreInPlace;
    const { totals, sample } = await score(ctx, viewerIds, inputs.unplaceable, search);
    const summary = { mode, viewers: viewerIds.length, retiredViewers: retired.viewers, ...totals };
    return dryRun ? { ...summary, dryRun: true, sample } : summary;
  },
  shard: scoreShard,
  /** Every list in the copies whole: as many rows as its bookkeeping row counts. */
  async validateRebuild(ctx) {
    const { viewers, torn } = await rebuiltListsCheck(ctx.db.prisma);
    if (torn > 0) {
      throw new Error(
        `match-scores rebuild: ${torn} of ${viewers} viewers' lists in ${rebuildCopyOf("match_scores")} do not have the rows their candidate_count in ${rebuildCopyOf("match_score_viewers")} says (a shard's write torn or doubled); the tables are left as they were`,
      );
    }
  },
});
