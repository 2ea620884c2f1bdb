import { FEED_FACTORS, type FeedWeights } from "./types.ts";

/**
 * Default weights (version feed-v1). Personal affinity (creator, topic, type) weighs half of the
 * positive total; trending and freshness keep new and popular posts in view; the creator's
 * MatchScore is a weak discovery nudge (seed "Scope Boundaries": discovery only, so it never
 * outweighs what the viewer actually engages with). A seen post loses 0.3, more than any single
 * factor but the creator's affinity can give, so unseen posts come first without hiding a
 * favourite creator's post entirely.
 */
export const DEFAULT_FEED_WEIGHTS: FeedWeights = {
  version: "feed-v1",
  creatorAffinity: 0.25,
  topicAffinity: 0.2,
  typeAffinity: 0.05,
  compatibility: 0.15,
  match: 0.05,
  trending: 0.15,
  quality: 0.1,
  freshness: 0.15,
  seen: 0.3,
  popularityHalf: 20,
};

/** Factors that need an affinity profile: zero for every post of a cold-start viewer. */
const AFFINITY_FACTORS = ["creatorAffinity", "topicAffinity", "typeAffinity"] as const;

/** Throws when a weight is negative or not finite, or popularityHalf is not positive. */
export function validateFeedWeights(weights: FeedWeights): void {
  if (weights.version.trim() === "") throw new RangeError("feed weights need a version");
  for (const factor of FEED_FACTORS) {
    const w = weights[factor];
    if (!Number.isFinite(w) || w < 0) {
      throw new RangeError(`feed weight ${factor} must be a non-negative number, got ${w}`);
    }
  }
  if (!Number.isFinite(weights.popularityHalf) || weights.popularityHalf <= 0) {
    throw new RangeError(`feed popularityHalf must be positive, got ${weights.popularityHalf}`);
  }
}

/**
 * Weights for a viewer without an affinity profile (cold start): the affinity weights, useless
 * there, move to trending and quality in proportion to their own weights (evenly when both are
 * 0), so trending and quality carry the ranking. Same version: the viewer's profile, not the
 * request, decides which applies.
 */
export function coldStartWeights(weights: FeedWeights): FeedWeights {
  const freed = AFFINITY_FACTORS.reduce((sum, factor) => sum + weights[factor], 0);
  const base = weights.trending + weights.quality;
  const trendingShare = base > 0 ? weights.trending / base : 0.5;
  return {
    ...weights,
    creatorAffinity: 0,
    topicAffinity: 0,
    typeAffinity: 0,
    trending: weights.trending + freed * trendingShare,
    quality: weights.quality + freed * (1 - trendingShare),
  };
}
