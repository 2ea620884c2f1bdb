import type { Database } from "@feed-jobs/db";
import {
  coldStartWeights,
  DEFAULT_FEED_WEIGHTS,
  decodeCursor,
  encodeCursor,
  type FactorValues,
  type FeedWeights,
  InvalidCursorError,
  type PostTypeName,
  pageAfter,
  rankPosts,
  type ScoredPost,
  validateFeedWeights,
} from "@feed-jobs/scoring/feed";
import { loadCandidates } from "./candidates.ts";
import { FEED_POLICY } from "./policy.ts";
import { loadSuggestions, type Suggestion } from "./suggestions.ts";
import { loadViewer, type ViewerIneligibleReason } from "./viewer.ts";

export interface RankFeedOptions {
  /** The request's clock. A later page ranks as of its first page's clock (in the cursor). */
  readonly now: Date;
  /** Items per page, 1 to FEED_POLICY.maxLimit (100). Default 20. */
  readonly limit?: number;
  /** The previous page's `nextCursor`. Default: none, the first page. */
  readonly cursor?: string;
  /** Default DEFAULT_FEED_WEIGHTS (feed-v1). A cursor only continues under the same version. */
  readonly weights?: FeedWeights;
  /** Serve posts flagged nsfw. Default false. Keep it the same across the pages of one feed. */
  readonly allowNsfw?: boolean;
  /** Suggested profiles on the first page, 0 to 200 (seed cap). Default 10. */
  readonly suggestions?: number;
}

/** One ranked post with its explanation. */
export interface FeedItem {
  /** 1-based position in the feed: the first page's items are 1…limit, later pages continue. */
  readonly rank: number;
  readonly postId: string;
  readonly authorId: string;
  readonly type: PostTypeName;
  readonly createdAt: Date;
  readonly topics: readonly string[];
  readonly score: number;
  /** Each factor's value (see @feed-jobs/scoring/feed). */
  readonly factors: FactorValues;
  /** weight × value per factor, seen negative; they sum to `score`. */
  readonly contributions: FactorValues;
}

export interface FeedPage {
  readonly viewerId: string;
  /**
   * Why the viewer is served nothing: not eligible at the page's clock (a minor, no birth
   * date, deactivated, deleted) or no such user; the page is then empty. Null: eligible.
   */
  readonly viewerIneligible: ViewerIneligibleReason | null;
  /** The clock the page was ranked with: `now`, or the first page's clock. */
  readonly rankedAt: Date;
  readonly weightsVersion: string;
  /** No affinity profile: affinity weights moved to trending and quality. */
  readonly coldStart: boolean;
  /** When the viewer-state job last ran for the viewer; null: never (no filters, no seen). */
  readonly viewerStateComputedAt: Date | null;
  readonly affinityComputedAt: Date | null;
  /** How many candidate posts were ranked. */
  readonly candidates: number;
  readonly items: readonly FeedItem[];
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
  /** Suggested profiles (first page only; later pages: empty). */
  readonly suggestions: readonly Suggestion[];
}

/**
 * Ranks the viewer's feed from precomputed tables only (viewer_feed_state,
 * user_affinity_profiles, posts, users, post_features, trending_scores, user_compatibility,
 * match_scores): three round trips, never the engagement log or messages. Only eligible people
 * (@feed-jobs/db `eligiblePerson`: adults, neither deactivated nor deleted) are served or
 * shown: an ineligible or unknown viewer gets an empty page that says why (`viewerIneligible`),
 * and no post of an ineligible author, no ineligible suggested profile is ever returned.
 * Throws RangeError for a bad limit or weights, InvalidCursorError for
 * a cursor it did not make or made under other weights.
 */
export async function rankFeed(
  db: Database,
  viewerId: string,
  options: RankFeedOptions,
): Promise<FeedPage> {
  const { weights, limit, suggestionCount, cursor } = checkedOptions(options);
  const rankedAt = cursor?.rankedAt ?? options.now;
  const viewer = await loadViewer(db.prisma, viewerId, rankedAt);
  if (viewer.ineligible !== null) return emptyPage(viewerId, viewer.ineligible, rankedAt, weights);
  // Independent reads: concurrent on a server pool (the embedded database runs them in turn).
  const [candidates, suggestions] = await Promise.all([
    loadCandidates(db.prisma, {
      viewerId,
      now: rankedAt,
      excludedCreatorIds: viewer.excludedCreatorIds,
      hiddenPostIds: viewer.hiddenPostIds,
      seenPostIds: viewer.seenPostIds,
      affinityCreatorIds: [...(viewer.affinity?.creators.keys() ?? [])],
      allowNsfw: options.allowNsfw ?? false,
    }),
    cursor || suggestionCount === 0
      ? []
      : loadSuggestions(db.prisma, viewerId, viewer.excludedCreatorIds, suggestionCount, rankedAt),
  ]);
  const effective = viewer.affinity ? weights : coldStartWeights(weights);
  const ranked = rankPosts(candidates, viewer.affinity, effective, rankedAt);
  const page = pageAfter(ranked, cursor?.after ?? null, limit);
  const servedBefore = cursor?.served ?? 0;
  const served = servedBefore + page.items.length;
  return {
    viewerId,
    viewerIneligible: null,
    rankedAt,
    weightsVersion: weights.version,
    coldStart: viewer.affinity === null,
    viewerStateComputedAt: viewer.stateComputedAt,
    affinityComputedAt: viewer.affinityComputedAt,
    candidates: candidates.length,
    items: page.items.map((item, i) => toFeedItem(item, servedBefore + i + 1)),
    nextCursor: page.next
      ? encodeCursor({ weightsVersion: weights.version, rankedAt, after: page.next, served })
      : null,
    suggestions,
  };
}

/** The page of a viewer who may not be served: nothing ranked, nothing suggested. */
function emptyPage(
  viewerId: string,
  reason: ViewerIneligibleReason,
  rankedAt: Date,
  weights: FeedWeights,
): FeedPage {
  return {
    viewerId,
    viewerIneligible: reason,
    rankedAt,
    weightsVersion: weights.version,
    coldStart: true,
    viewerStateComputedAt: null,
    affinityComputedAt: null,
    candidates: 0,
    items: [],
    nextCursor: null,
    suggestions: [],
  };
}

function checkedOptions(options: RankFeedOptions) {
  const weights = options.weights ?? DEFAULT_FEED_WEIGHTS;
  validateFeedWeights(weights);
  const { defaultLimit, maxLimit, defaultSuggestions, maxSuggestions } = FEED_POLICY;
  const limit = inRange("limit", options.limit ?? defaultLimit, 1, maxLimit);
  const suggestionCount = inRange(
    "suggestions",
    options.suggestions ?? defaultSuggestions,
    0,
    maxSuggestions,
  );
  const cursor = options.cursor ? decodeCursor(options.cursor) : null;
  if (cursor && cursor.weightsVersion !== weights.version) {
    throw new InvalidCursorError(
      `made with weights ${cursor.weightsVersion}, not ${weights.version}; start from the first page`,
    );
  }
  return { weights, limit, suggestionCount, cursor };
}

function toFeedItem(item: ScoredPost, rank: number): FeedItem {
  const { post } = item;
  return {
    rank,
    postId: post.postId,
    authorId: post.authorId,
    type: post.type,
    createdAt: post.createdAt,
    topics: post.topics,
    score: item.score,
    factors: item.factors,
    contributions: item.contributions,
  };
}

function inRange(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be a whole number from ${min} to ${max}, got ${value}`);
  }
  return value;
}
