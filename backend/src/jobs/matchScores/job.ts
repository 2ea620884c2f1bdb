import { defineJob } from "@feed-jobs/jobs";
import { scoreBatch } from "./batch.ts";
import { type MatchScoresConfig, matchScoresConfig, scoringConfig } from "./config.ts";
import { ProfileCache } from "./profiles.ts";
import { type Scope, selectViewers } from "./selection.ts";
import type { Clock } from "./sql.ts";
import { replaceLists, retireIneligibleViewers, type ViewerList } from "./write-queries.ts";

const MS_PER_DAY = 86_400_000;
/** Profiles kept in memory per run (≈1 kB each): the whole population up to this size. */
const PROFILE_CACHE_LIMIT = 250_000;
/** Far above a batch's write time: a slow run is flagged by the runner, not rolled back. */
const WRITE_TRANSACTION_TIMEOUT_MS = 120_000;

/**
 * Seed "Performance Budgets", for 100k users and K = 200: rows scanned are candidate ids,
 * profiles and negative signals read back (≤ poolCap + 1 per viewer, plus the narrowed pool);
 * rows written are deleted and inserted MatchScores plus bookkeeping rows.
 */
const budget = { maxRowsScanned: 100_000_000, maxRowsWritten: 45_000_000, maxRuntimeMs: 300_000 };

export function clockOf(now: Date, config: MatchScoresConfig): Clock {
  return {
    now,
    today: now.toISOString().slice(0, 10),
    activeSince: new Date(now.getTime() - config.inactiveAfterDays * MS_PER_DAY),
  };
}

const sample = (list: ViewerList | undefined, topN: number) =>
  list && { viewerId: list.viewerId, top: list.candidates.slice(0, topN) };

export const matchScoresJob = defineJob({
  name: "match-scores",
  description:
    "Top-K discovery matches per viewer (quiz, interests, proximity, age and goals, soft preferences; never engagement), hard-filtered on gender, mutual ages, distance, dealbreakers, blocks and reports. Default mode without --mode: incremental (only viewers whose lists are missing, stale or affected by a change); --mode full recomputes everyone.",
  algorithmVersion: "match-v1",
  schedules: [
    { label: "incremental", cron: "0 */6 * * *", options: { mode: "incremental" } },
    { label: "nightly-full", cron: "0 1 * * *", options: { mode: "full" } },
  ],
  config: matchScoresConfig,
  budget,
  accepts: ["userId", "mode"],
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
    ctx.setTotal(viewerIds.length);
    if (viewerIds.length === 0) {
      ctx.log(
        mode === "incremental"
          ? "nothing changed since the last run: no viewer to recompute"
          : "no eligible viewer",
      );
      return { mode, viewers: 0, retiredViewers: retired.viewers, nothingToDo: true };
    }

    const useVector = config.candidateSearch === "auto" && (await db.hasVector());
    ctx.note("candidateSearch", useVector ? "pgvector" : "exact");
    const setup = {
      db,
      clock,
      config,
      scoring: scoringConfig(config),
      useVector,
      cache: new ProfileCache(PROFILE_CACHE_LIMIT),
    };
    const stamp = { computedAt: ctx.now, algorithmVersion: ctx.algorithmVersion };
    const totals = { lists: 0, emptyLists: 0, matchScores: 0, narrowed: 0, ineligible: 0 };
    let first: ViewerList | undefined;
    for (let i = 0; i < viewerIds.length; i += config.batchSize) {
      await ctx.checkpoint();
      const outcome = await scoreBatch(setup, viewerIds.slice(i, i + config.batchSize));
      ctx.scanned(outcome.rowsScanned);
      for (const failure of outcome.failures) ctx.failed(failure.viewerId, failure.error);
      if (!dryRun && outcome.lists.length > 0) {
        const written = await db.prisma.$transaction(
          (tx) => replaceLists(tx, outcome.lists, stamp, db.kind === "embedded"),
          {
            timeout: WRITE_TRANSACTION_TIMEOUT_MS,
          },
        );
        ctx.written(written.deleted + written.inserted + written.viewers);
      }
      first ??= outcome.lists[0];
      totals.lists += outcome.lists.length;
      totals.emptyLists += outcome.lists.filter((l) => l.candidates.length === 0).length;
      totals.matchScores += outcome.lists.reduce((n, l) => n + l.candidates.length, 0);
      totals.narrowed += outcome.narrowed;
      totals.ineligible += outcome.ineligible;
      ctx.processed(outcome.lists.length + outcome.ineligible);
    }
    for (const [key, value] of Object.entries(totals)) ctx.note(key, value);
    const summary = { mode, viewers: viewerIds.length, retiredViewers: retired.viewers, ...totals };
    return dryRun ? { ...summary, dryRun: true, sample: sample(first, config.topN) } : summary;
  },
});
