/**
 * The read path's fixed limits (seed "Feed Integration Rules": candidate caps per request).
 * Candidates: at most recent + creator + trending = 500 posts, the seed's "top 500".
 */
export const FEED_POLICY = {
  /** Candidate posts are from the last 7 days (the viewer-state job keeps seen posts as long). */
  windowDays: 7,
  /** Newest eligible posts of the window: 300. */
  recentCandidates: 300,
  /** Newest eligible posts by the viewer's affinity creators and compatible people: 100. */
  creatorCandidates: 100,
  /** Most popular eligible posts with an unexpired TrendingScore: 100. */
  trendingCandidates: 100,
  /** Newest eligible posts taken from each creator of the creator source: 5. */
  postsPerCreator: 5,
  /** The viewer's most compatible people (UserCompatibility) in the creator source: 50. */
  compatibleCreators: 50,
  /** Posts below this PostFeatures.quality, or without one, are never shown: 0.3 (seed). */
  qualityThreshold: 0.3,
  /** Items per page when the request names none: 20. */
  defaultLimit: 20,
  /** Largest page: 100. */
  maxLimit: 100,
  /** Suggested profiles on a first page when the request names none: 10. */
  defaultSuggestions: 10,
  /** Seed cap: suggestions come from the viewer's top 200 MatchScores. */
  maxSuggestions: 200,
} as const;
