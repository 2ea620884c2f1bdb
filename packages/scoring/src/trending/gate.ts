import { actionCount, type EngagementCounts } from "./formulas.ts";

/** What the gate reads of a post in the window: its actions, and when it was created. */
export interface GatedPost extends EngagementCounts {
  readonly postId: string;
  readonly createdAt: Date;
}

export interface AdaptiveGateParams {
  /** A post with at least this many actions is always a candidate (v1's whole gate). */
  readonly minEngagements: number;
  /** The window's this many most-acted-on posts are candidates however few actions they have. */
  readonly minCandidates: number;
}

/** More actions first; among equals the newer post (it got them faster), then by id. */
function byActivity(a: GatedPost, b: GatedPost): number {
  return (
    actionCount(b) - actionCount(a) ||
    b.createdAt.getTime() - a.createdAt.getTime() ||
    (a.postId < b.postId ? -1 : a.postId > b.postId ? 1 : 0)
  );
}

/**
 * trending-v2's candidate gate: posts with at least `minEngagements` actions, and besides them
 * the `minCandidates` most-acted-on posts of the window that have at least one action. A fixed
 * threshold suits one community's scale: on a quiet day (or in a small community) few posts
 * reach it (on real data, fewer than 5 candidates on a third of the days), while the posts that
 * go on to be engaged with are the most-acted-on ones of that day, whatever their count. The
 * candidate count therefore never drops below min(`minCandidates`, posts with an action), and
 * on a busy day the threshold alone decides, as in v1. A post with no action is never a
 * candidate: it has no popularity to rank. Returns the candidates in their input order.
 */
export function adaptiveGate<P extends GatedPost>(
  posts: readonly P[],
  params: AdaptiveGateParams,
): P[] {
  const mostActive = new Set(
    posts
      .filter((p) => actionCount(p) > 0)
      .sort(byActivity)
      .slice(0, params.minCandidates),
  );
  return posts.filter((p) => actionCount(p) >= params.minEngagements || mostActive.has(p));
}
