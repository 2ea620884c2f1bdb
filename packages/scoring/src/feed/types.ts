/** Inputs and outputs of feed ranking; see index.ts for what each factor means. */

export type PostTypeName = "PHOTO" | "TEXT" | "POLL" | "VIDEO";

/** The factors of a post's score, in the order they are explained. */
export const FEED_FACTORS = [
  "creatorAffinity",
  "topicAffinity",
  "typeAffinity",
  "compatibility",
  "match",
  "trending",
  "quality",
  "freshness",
  "seen",
] as const;

export type FeedFactor = (typeof FEED_FACTORS)[number];

/** One value per factor. */
export type FactorValues = Readonly<Record<FeedFactor, number>>;

/**
 * A versioned set of weights. `seen` is subtracted, every other weight is added; all are
 * non-negative. Change `version` whenever a number changes: cursors carry it, so a page is
 * never continued under other weights.
 */
export interface FeedWeights extends FactorValues {
  readonly version: string;
  /** Popularity at which the popularity half of the trending factor reaches 0.5. */
  readonly popularityHalf: number;
}

/** The viewer's affinity profile, parsed: every weight in [0, 1]. */
export interface ViewerAffinity {
  /** Creator id → weight (the profile's topCreators). */
  readonly creators: ReadonlyMap<string, number>;
  /** Topic tag → weight (the profile's topTopics). */
  readonly topics: ReadonlyMap<string, number>;
  /** Shares of post engagement per type, summing to 1 (the profile's contentTypePrefs). */
  readonly contentTypes: Readonly<Record<PostTypeName, number>>;
}

/** A candidate post with everything the precomputed tables say about it for this viewer. */
export interface CandidatePost {
  readonly postId: string;
  readonly authorId: string;
  readonly type: PostTypeName;
  readonly createdAt: Date;
  /** PostFeatures.topics. */
  readonly topics: readonly string[];
  /** PostFeatures.quality in [0, 1]. */
  readonly quality: number;
  /** TrendingScore.popularity; null without an unexpired TrendingScore. */
  readonly popularity: number | null;
  readonly isTrending: boolean;
  /** UserCompatibility.score of the viewer towards the author; null without a row. */
  readonly compatibility: number | null;
  /** MatchScore.score of the author for the viewer; null without a row. */
  readonly matchScore: number | null;
  /** Whether the viewer has had the post in the viewport (the viewer-state job's seen list). */
  readonly seen: boolean;
}

export interface ScoredPost {
  readonly post: CandidatePost;
  /** Σ contributions. */
  readonly score: number;
  /** Each factor's value: in [0, 1], freshness in (0, 1/ln 2], seen 0 or 1. */
  readonly factors: FactorValues;
  /** weight × value per factor (negative for seen); they sum to the score. */
  readonly contributions: FactorValues;
}

/** Where a page ended: the last item's score and post id. */
export interface RankPosition {
  readonly score: number;
  readonly postId: string;
}
