import { defineJob } from "@feed-jobs/jobs";
import { rankByPopularity, type TrendingScore } from "@feed-jobs/scoring/trending";
import { trendingConfig } from "./config.ts";
import { aggregateWindow, removeScoresExcept, upsertScores } from "./queries.ts";
import { scoreByVersion, sqlMinEngagements, TRENDING_ALGORITHMS, TRENDING_V1 } from "./versions.ts";

const MS_PER_HOUR = 3_600_000;
/** Far above the runtime budget: a slow run is flagged by the runner, not rolled back. */
const WRITE_TRANSACTION_TIMEOUT_MS = 120_000;

/** Seed "Performance Budgets" (TrendingJob): rows scanned are posts read from the window. */
const budget = { maxRowsScanned: 50_000, maxRowsWritten: 100_000, maxRuntimeMs: 30_000 };

const hoursBefore = (now: Date, hours: number) => new Date(now.getTime() - hours * MS_PER_HOUR);

const present = (s: TrendingScore) => ({
  postId: s.postId,
  popularity: s.popularity,
  velocityPerHour: s.velocity,
  isTrending: s.isTrending,
  peakTime: s.peakTime?.toISOString() ?? null,
  engagementCount: s.engagementCount,
});

/**
 * Seed "Job 4": popularity, velocity (engagements per hour) and peak time of recent posts.
 * The budget counts posts scanned (posts read from the window) as rows scanned; going over it
 * is flagged in the JobRun metadata, never truncated: a partial candidate set would shift the
 * trending line (a mean over all candidates) and drop scores in the cleanup.
 */
export const trendingJob = defineJob({
  name: "trending",
  description:
    "Popularity, velocity (engagements per hour) and peak time of recent posts with enough actions (windowHours, minEngagements; trending-v2 also the v2.minCandidates most-acted-on); removes scores of posts that left the window.",
  algorithmVersion: TRENDING_V1,
  algorithms: TRENDING_ALGORITHMS,
  schedules: [{ label: "every-15-min", cron: "*/15 * * * *" }],
  config: trendingConfig,
  budget,
  accepts: [],
  async run(ctx) {
    const { config: c, now } = ctx;
    ctx.note("maxPostsScanned", budget.maxRowsScanned);
    const window = await aggregateWindow(ctx.db.prisma, {
      now,
      windowStart: hoursBefore(now, c.windowHours),
      velocityStart: hoursBefore(now, c.velocityWindow),
      minEngagements: sqlMinEngagements(ctx.algorithmVersion, c),
      profileViewAttributionMinutes: c.profileViewAttributionMinutes,
      velocityHalfLifeHours: c.v2.velocityHalfLifeHours,
    });
    ctx.scanned(window.postsScanned);
    ctx.note("engagementRowsAggregated", window.engagementRowsAggregated);
    ctx.note("excludedPosts", window.excludedPosts);
    for (const [reason, n] of Object.entries(window.ineligibleAuthors)) ctx.excluded(reason, n);
    ctx.excluded("actionsByIneligible", window.actionsByIneligible);
    ctx.note("reportedPosts", window.reportedPosts);

    const scores = scoreByVersion(ctx.algorithmVersion, window.candidates, c, now);
    ctx.setTotal(scores.length);
    const trending = scores.filter((s) => s.isTrending).length;
    ctx.processed(scores.length);
    ctx.note("candidates", scores.length);
    ctx.note("trending", trending);
    const summary = { postsScanned: window.postsScanned, candidates: scores.length, trending };
    if (ctx.options.dryRun) {
      ctx.collect?.(scores);
      return { ...summary, dryRun: true, top: rankByPopularity(scores, c.topN).map(present) };
    }

    // Read above, write below in one short transaction: the job's lock keeps other trending
    // runs out meanwhile, and the cancellation checkpoint can sit in between (inside an open
    // transaction it would wait on the embedded database's single connection).
    await ctx.checkpoint();
    const stamp = {
      computedAt: now,
      expiresAt: new Date(now.getTime() + c.expiryHours * MS_PER_HOUR),
      algorithmVersion: ctx.algorithmVersion,
    };
    const { upserted, removed } = await ctx.db.prisma.$transaction(
      async (tx) => {
        const upserted = await upsertScores(tx, scores, stamp);
        const removed = await removeScoresExcept(
          tx,
          scores.map((s) => s.postId),
        );
        return { upserted, removed };
      },
      { timeout: WRITE_TRANSACTION_TIMEOUT_MS },
    );
    ctx.written(upserted + removed);
    ctx.note("removed", removed);
    return { ...summary, upserted, removed };
  },
});
