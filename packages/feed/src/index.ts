/**
 * The feed read path: ranks a viewer's posts from the precomputed tables only. It never reads
 * the raw engagement log or messages (a test fails if it does) and imports nothing from backend.
 *
 * Glossary
 * - viewer: the user the feed is for. candidate: a post fetched for ranking (at most 500).
 * - viewer state: the viewer-state job's row (excluded creators, hidden and seen posts).
 * - suggestion: a profile from the viewer's top MatchScores, shown beside the posts.
 * Ranking math lives in @feed-jobs/scoring/feed.
 */
export {
  DEFAULT_FEED_WEIGHTS,
  type FactorValues,
  FEED_FACTORS,
  type FeedFactor,
  type FeedWeights,
  InvalidCursorError,
} from "@feed-jobs/scoring/feed";
export { type CandidateQuery, loadCandidates } from "./candidates.ts";
export {
  type FeedLatency,
  type LatencyOptions,
  measureFeedLatency,
  percentile,
} from "./latency.ts";
export { FEED_POLICY } from "./policy.ts";
export { type FeedItem, type FeedPage, type RankFeedOptions, rankFeed } from "./rank-feed.ts";
export { loadSuggestions, type Suggestion } from "./suggestions.ts";
export {
  type FeedViewer,
  loadViewer,
  parseAffinity,
  type ViewerIneligibleReason,
} from "./viewer.ts";
