import { FEED_POLICY } from "@feed-jobs/feed";
import { DEFAULT_FADE_SHORTEST_SHARE } from "@feed-jobs/scoring/trending";
import { z } from "zod";

const positive = z.number().positive();
const weight = z.number().nonnegative();

/** The trending job's config; every key has a default (seed "Job 4"). */
export const trendingConfig = z.strictObject({
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
  /** trending-v2's constants (`--algorithm trending-v2`); v1 ignores them. */
  v2: z
    .strictObject({
      /**
       * Popularity halves every this many hours of post age. Default 6: on real data 3–12 h
       * ranked next-day engagement better than 24 h; 6 h is that range's middle on a log scale.
       */
      halfLifeHours: positive.default(6),
      /**
       * Besides the posts with `minEngagements` actions, the window's this many most-acted-on
       * posts (with at least one action) are candidates. Default 100: the feed's trending source
       * (FEED_POLICY.trendingCandidates), so a quiet day still fills it.
       */
      minCandidates: z.number().int().nonnegative().default(FEED_POLICY.trendingCandidates),
      /** Each action's weight in velocity halves every this many hours. Default 1 (v1's window). */
      velocityHalfLifeHours: positive.default(1),
    })
    .prefault({}),
  /** How many scores a dry run prints, most popular first. Default 10. */
  topN: z.number().int().positive().default(10),
});

export type TrendingConfig = z.infer<typeof trendingConfig>;
