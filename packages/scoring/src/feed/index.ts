/**
 * Feed ranking, pure: no I/O (seed "Feed Integration Rules", "Freshness & Penalties").
 *
 * Glossary
 * - viewer: the user the feed is for. candidate: a post the read path fetched for ranking.
 * - factor: one number describing a candidate for this viewer; contribution: weight × factor.
 *
 * Factors (inputs from the precomputed tables only)
 * - creatorAffinity: the author's weight in the viewer's topCreators (0 if absent).
 * - topicAffinity: noisy-OR 1 − Π(1 − w) of the viewer's topTopics weights of the post's topics.
 * - typeAffinity: the post type's contentTypePrefs share divided by the favourite type's share.
 * - compatibility: UserCompatibility.score viewer → author (relationship signal; 0 if no row).
 * - match: MatchScore.score of the author for the viewer (weak discovery nudge; 0 if no row).
 * - trending: (popularity / (popularity + popularityHalf) + (isTrending ? 1 : 0)) / 2 from an
 *   unexpired TrendingScore; 0 without one.
 * - quality: PostFeatures.quality.
 * - freshness: 1 / ln(2 + hoursSinceCreation) (seed formula; 1.44 at 0 h, 0.19 after a week).
 * - seen: 1 when the viewer had the post in the viewport (seed: seenPenalty = seen ? 1 : 0).
 * score = Σ weight·factor over the positive factors − weight(seen)·seen; defaults in weights.ts.
 * Values outside [0, 1] in the tables are clamped; missing rows count 0, never "perfect".
 *
 * Cold start: a viewer without an affinity profile has every affinity factor 0; their weights
 * move to trending and quality (coldStartWeights), which then carry the ranking.
 * Order: score descending, ties by post id; pages are keyset on (score, post id).
 */
export { decodeCursor, encodeCursor, type FeedCursor, InvalidCursorError } from "./cursor.ts";
export {
  creatorAffinity,
  freshnessBoost,
  seenPenalty,
  topicAffinity,
  trendingFactor,
  typeAffinity,
  unitScore,
} from "./factors.ts";
export {
  compareRanked,
  pageAfter,
  positionOf,
  postFactors,
  type RankedPage,
  rankPosts,
  scorePost,
} from "./rank.ts";
export {
  type CandidatePost,
  type FactorValues,
  FEED_FACTORS,
  type FeedFactor,
  type FeedWeights,
  type PostTypeName,
  type RankPosition,
  type ScoredPost,
  type ViewerAffinity,
} from "./types.ts";
export { coldStartWeights, DEFAULT_FEED_WEIGHTS, validateFeedWeights } from "./weights.ts";
