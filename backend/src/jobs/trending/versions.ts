import {
  adaptiveGate,
  type SharedTrendingParams,
  scoreCandidates,
  scoreCandidatesV2,
  type TrendingScore,
  type TrendingV2Candidate,
} from "@feed-jobs/scoring/trending";
import type { TrendingConfig } from "./config.ts";

export const TRENDING_V1 = "trending-v1";
export const TRENDING_V2 = "trending-v2";

export const TRENDING_ALGORITHMS = {
  [TRENDING_V1]:
    "the seed's formula: a gate of minEngagements actions, popularity halving every halfLifeHours (24 h), velocity over the last velocityWindow hour",
  [TRENDING_V2]:
    "a gate that keeps the window's v2.minCandidates most-acted-on posts, popularity halving every v2.halfLifeHours (6 h), velocity as a decayed rate over all actions (config group v2)",
};

/** The constants both versions share, with the half-life `halfLifeHours`. */
function sharedParams(c: TrendingConfig, halfLifeHours: number): SharedTrendingParams {
  return {
    weights: {
      like: c.likeWeight,
      comment: c.commentWeight,
      share: c.shareWeight,
      profileView: c.profileViewWeight,
      hide: c.hideWeight,
    },
    halfLifeHours,
    velocityFloorHours: c.velocityFloorMinutes / 60,
    trendingMultiplier: c.trendingMultiplier,
    fadeShortestShare: c.fadeShortestShare,
  };
}

/**
 * The gate's threshold in SQL: v1's `minEngagements`; v2 gates in code (it ranks the window's
 * posts by actions), so its query returns every post with at least one action.
 */
export function sqlMinEngagements(version: string, c: TrendingConfig): number {
  return version === TRENDING_V2 ? 1 : c.minEngagements;
}

/** The scores of `version` for the posts the query returned (gated by `sqlMinEngagements`). */
export function scoreByVersion(
  version: string,
  posts: readonly TrendingV2Candidate[],
  c: TrendingConfig,
  now: Date,
): TrendingScore[] {
  if (version !== TRENDING_V2) {
    return scoreCandidates(
      posts,
      { ...sharedParams(c, c.halfLifeHours), velocityWindowHours: c.velocityWindow },
      now,
    );
  }
  const candidates = adaptiveGate(posts, {
    minEngagements: c.minEngagements,
    minCandidates: c.v2.minCandidates,
  });
  return scoreCandidatesV2(
    candidates,
    {
      ...sharedParams(c, c.v2.halfLifeHours),
      velocityHalfLifeHours: c.v2.velocityHalfLifeHours,
    },
    now,
  );
}
