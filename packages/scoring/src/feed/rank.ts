import {
  creatorAffinity,
  freshnessBoost,
  seenPenalty,
  topicAffinity,
  trendingFactor,
  typeAffinity,
  unitScore,
} from "./factors.ts";
import {
  type CandidatePost,
  type FactorValues,
  FEED_FACTORS,
  type FeedFactor,
  type FeedWeights,
  type RankPosition,
  type ScoredPost,
  type ViewerAffinity,
} from "./types.ts";

const MS_PER_HOUR = 3_600_000;

/** Every factor's value for one post, as seen by the viewer at `now`. */
export function postFactors(
  post: CandidatePost,
  affinity: ViewerAffinity | null,
  weights: FeedWeights,
  now: Date,
): FactorValues {
  return {
    creatorAffinity: creatorAffinity(affinity, post.authorId),
    topicAffinity: topicAffinity(affinity, post.topics),
    typeAffinity: typeAffinity(affinity, post.type),
    compatibility: unitScore(post.compatibility),
    match: unitScore(post.matchScore),
    trending: trendingFactor(post.popularity, post.isTrending, weights.popularityHalf),
    quality: unitScore(post.quality),
    freshness: freshnessBoost((now.getTime() - post.createdAt.getTime()) / MS_PER_HOUR),
    seen: seenPenalty(post.seen),
  };
}

/** score = Σ weight × value over the positive factors − weight(seen) × seenPenalty. */
export function scorePost(
  post: CandidatePost,
  affinity: ViewerAffinity | null,
  weights: FeedWeights,
  now: Date,
): ScoredPost {
  const factors = postFactors(post, affinity, weights, now);
  const contributions = {} as Record<FeedFactor, number>;
  let score = 0;
  for (const factor of FEED_FACTORS) {
    const sign = factor === "seen" ? -1 : 1;
    contributions[factor] = sign * weights[factor] * factors[factor];
    score += contributions[factor];
  }
  return { post, score, factors, contributions };
}

/** Feed order: higher score first, then post id (code-unit order) so ties are stable. */
export function compareRanked(a: RankPosition, b: RankPosition): number {
  if (a.score !== b.score) return b.score - a.score;
  return a.postId < b.postId ? -1 : a.postId > b.postId ? 1 : 0;
}

/** Every candidate scored and sorted in feed order. */
export function rankPosts(
  posts: readonly CandidatePost[],
  affinity: ViewerAffinity | null,
  weights: FeedWeights,
  now: Date,
): ScoredPost[] {
  return posts
    .map((post) => scorePost(post, affinity, weights, now))
    .sort((a, b) => compareRanked(positionOf(a), positionOf(b)));
}

export function positionOf(item: ScoredPost): RankPosition {
  return { score: item.score, postId: item.post.postId };
}

export interface RankedPage {
  readonly items: readonly ScoredPost[];
  /** The last item's position when more items follow; null on the last page. */
  readonly next: RankPosition | null;
}

/**
 * Keyset pagination over a ranking in feed order: the `limit` items strictly after `after`
 * (from the start when null). Keyed on (score, post id) rather than an offset, so a post that
 * leaves the candidates between two pages does not shift the next page.
 */
export function pageAfter(
  ranked: readonly ScoredPost[],
  after: RankPosition | null,
  limit: number,
): RankedPage {
  const start = after ? ranked.findIndex((item) => compareRanked(positionOf(item), after) > 0) : 0;
  if (start < 0) return { items: [], next: null };
  const slice = ranked.slice(start, start + limit);
  const last = slice.at(-1);
  const more = start + slice.length < ranked.length;
  return {
    items: slice,
    next: more && last ? positionOf(last) : null,
  };
}
