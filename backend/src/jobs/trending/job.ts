import { defineJob } from "@feed-jobs/jobs";
import {
  DEFAULT_FADE_SHORTEST_SHARE,
  rankByPopularity,
  scoreCandidates,
  type TrendingParams,
  type TrendingScore,
} from "@feed-jobs/scoring/trending";
import { z } from "zod";
import { aggregateWindow, removeScoresExcept, upsertScores } from "./queries.ts";

const MS_PER_HOUR = 3_600_000;
/** Far above the runtime budget: a slow run is flagged by the runner, not rolled back. */
const WRITE_TRANSACTION_TIMEOUT_MS = 120_000;

/** Seed "Performance Budgets" (TrendingJob): rows scanned are posts read from the window. */
const budget = { maxRowsScanned: 50_000, maxRowsWritten: 100_000, maxRuntimeMs: 30_000 };

const positive = z.number().positive();
const weight = z.number().nonnegative();

const config = z.strictObject({
  /** Candidate gate: posts created in the last N hours. Default 48. */
  windowHours: positive.default(48),
  /** Hours over which velocity (engagements per hour) is measured. Default 1. */
  velocityWindow: positive.default(1),
  /** A post trends when its velocity exceeds the candidates' mean times this. Default 2. */
  trendingMultiplier: positive.default(2),
  /** Scores expire this many hours after they were computed. Default 48. */
  expiryHours: positive.default(48),
  /** Candidate gate: at least this many actions (likes, comments, shares, profile views). Default 5. */
  minEngagements: z.number().int().positive().default(5),
  /** Popularity halves every this many hours of post age. Default 24. */
  halfLifeHours: positive.default(24),
  /**
   * The decay multiplier a reader applies fades a post faster as its momentum drops: the
   * half-life shrinks to this share of `halfLifeHours` with none left. Default 0.5.
   */
  fadeShortestShare: z.number().gt(0).max(1).default(DEFAULT_FADE_SHORTEST_SHARE),
  /** Velocity is never measured over less than this, so a minute-old post cannot spike. Default 15. */
  velocityFloorMinutes: positive.default(15),
  /** A profile view counts for a post seen by the viewer this many minutes before. Default 30. */
  profileViewAttributionMinutes: positive.default(30),
  /** Popularity weight of a like. Default 1. */
  likeWeight: weight.default(1),
  /** Popularity weight of a comment. Default 2. */
  commentWeight: weight.default(2),
  /** Popularity weight of a share. Default 3. */
  shareWeight: weight.default(3),
  /** Popularity weight of an attributed profile view. Default 0.5. */
  profileViewWeight: weight.default(0.5),
  /** Popularity subtracted per hide (a strong negative signal). Default 3. */
  hideWeight: weight.default(3),
  /** How many scores a dry run prints, most popular first. Default 10. */
  topN: z.number().int().positive().default(10),
});

type TrendingConfig = z.infer<typeof config>;

function scoringParams(c: TrendingConfig): TrendingParams {
  return {
    weights: {
      like: c.likeWeight,
      comment: c.commentWeight,
      share: c.shareWeight,
      profileView: c.profileViewWeight,
      hide: c.hideWeight,
    },
    halfLifeHours: c.halfLifeHours,
    velocityWindowHours: c.velocityWindow,
    velocityFloorHours: c.velocityFloorMinutes / 60,
    trendingMultiplier: c.trendingMultiplier,
    fadeShortestShare: c.fadeShortestShare,
  };
}

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
    "Popularity, velocity (engagements per hour) and peak time of recent posts with enough actions (windowHours, minEngagements); removes scores of posts that left the window.",
  algorithmVersion: "trending-v1",
  schedules: [{ label: "every-15-min", cron: "*/15 * * * *" }],
  config,
  budget,
  accepts: [],
  async run(ctx) {
    const { config: c, now } = ctx;
    ctx.note("maxPostsScanned", budget.maxRowsScanned);
    const window = await aggregateWindow(ctx.db.prisma, {
      now,
      windowStart: hoursBefore(now, c.windowHours),
      velocityStart: hoursBefore(now, c.velocityWindow),
      minEngagements: c.minEngagements,
      profileViewAttributionMinutes: c.profileViewAttributionMinutes,
    });
    ctx.scanned(window.postsScanned);
    ctx.note("engagementRowsAggregated", window.engagementRowsAggregated);
    ctx.note("excludedPosts", window.excludedPosts);
    for (const [reason, n] of Object.entries(window.ineligibleAuthors)) ctx.excluded(reason, n);
    ctx.excluded("actionsByIneligible", window.actionsByIneligible);
    ctx.note("reportedPosts", window.reportedPosts);
    ctx.setTotal(window.candidates.length);

    const scores = scoreCandidates(window.candidates, scoringParams(c), now);
    const trending = scores.filter((s) => s.isTrending).length;
    ctx.processed(scores.length);
    ctx.note("candidates", scores.length);
    ctx.note("trending", trending);
    const summary = { postsScanned: window.postsScanned, candidates: scores.length, trending };
    if (ctx.options.dryRun) {
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
