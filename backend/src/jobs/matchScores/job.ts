import type { Database } from "@feed-jobs/db";
import { defineJob } from "@feed-jobs/jobs";
import { scoreBatch } from "./batch.ts";
import { type MatchScoresConfig, matchScoresConfig } from "./config.ts";
import { invalidInputs } from "./input-queries.ts";
import { inPlaceOrder, loadPopulation, ProfileCache } from "./profiles.ts";
import { countEligibleUsers, countUnscorableUsers } from "./queries.ts";
import { type Scope, selectViewers } from "./selection.ts";
import type { Clock } from "./sql.ts";
import { MATCH_ALGORITHMS, MATCH_V2, matchAlgorithm } from "./versions.ts";
import { MATCH_TABLES, retireIneligibleViewers, type ViewerList } from "./write-queries.ts";
import { openListWriter } from "./writer.ts";

const MS_PER_DAY = 86_400_000;
/** Profiles kept in memory per run (≈1 kB each): the whole population up to this size. */
const PROFILE_CACHE_LIMIT = 250_000;

/**
 * Seed "Performance Budgets", for 100k users and K = 200: rows scanned are candidate ids,
 * profiles and negative signals read back (≤ poolCap + 1 per viewer, plus the narrowed pool) or,
 * searching in memory, the users the index tests for each viewer (those of a sought gender and
 * age in the viewer's latitude band: ≈ 410 per viewer at 8k demo users, growing with density,
 * so ≈ 4,000–5,000 at 100k); rows written are deleted and inserted MatchScores plus bookkeeping rows.
 */
const budget = { maxRowsScanned: 600_000_000, maxRowsWritten: 45_000_000, maxRuntimeMs: 300_000 };

export function clockOf(now: Date, config: MatchScoresConfig): Clock {
  return {
    now,
    today: now.toISOString().slice(0, 10),
    activeSince: new Date(now.getTime() - config.inactiveAfterDays * MS_PER_DAY),
  };
}

const sample = (list: ViewerList | undefined, topN: number) =>
  list && { viewerId: list.viewerId, top: list.candidates.slice(0, topN) };

/**
 * Where a run's pools come from (see the `candidateSearch` setting). The population is held in
 * memory only up to the profile cache's size.
 */
async function candidateSearch(
  db: Database,
  clock: Clock,
  config: MatchScoresConfig,
  viewers: number,
): Promise<"memory" | "pgvector" | "exact"> {
  if (config.candidateSearch !== "auto") return config.candidateSearch;
  if (
    viewers >= config.inMemoryFromViewers &&
    (await countEligibleUsers(db.prisma, clock)) <= PROFILE_CACHE_LIMIT
  )
    return "memory";
  return (await db.hasVector()) ? "pgvector" : "exact";
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
    const population = search === "memory" ? await loadPopulation(db.prisma, clock) : undefined;
    if (population) ctx.scanned(population.profiles.size);
    const ordered = population ? inPlaceOrder(population, viewerIds) : viewerIds;
    const setup = {
      db,
      clock,
      config,
      ...matchAlgorithm(ctx.algorithmVersion, config),
      useVector: search === "pgvector",
      cache: new ProfileCache(PROFILE_CACHE_LIMIT),
      population,
      unplaceable: inputs.unplaceable,
      withFactors: ctx.collect !== undefined,
    };
    const stamp = { computedAt: ctx.now, algorithmVersion: ctx.algorithmVersion };
    const writer = dryRun
      ? undefined
      : await openListWriter(db, stamp, {
          rebuild: mode === "full",
          written: ctx.written,
          log: ctx.log,
        });
    ctx.note("writes", dryRun ? "none" : mode === "full" ? "rebuild" : "in place");
    const totals = { lists: 0, emptyLists: 0, matchScores: 0, narrowed: 0, ineligible: 0 };
    let first: ViewerList | undefined;
    try {
      for (let i = 0; i < ordered.length; i += config.batchSize) {
        await ctx.checkpoint();
        const outcome = await scoreBatch(setup, ordered.slice(i, i + config.batchSize));
        ctx.scanned(outcome.rowsScanned);
        for (const failure of outcome.failures) ctx.failed(failure.viewerId, failure.error);
        await writer?.write(outcome.lists);
        // A dry run for eval or tune: the lists it would write, with each pair's factors.
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
    for (const [key, value] of Object.entries(totals)) ctx.note(key, value);
    const summary = { mode, viewers: viewerIds.length, retiredViewers: retired.viewers, ...totals };
    return dryRun ? { ...summary, dryRun: true, sample: sample(first, config.topN) } : summary;
  },
});
