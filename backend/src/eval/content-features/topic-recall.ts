import { recallAtK } from "@feed-jobs/scoring/metrics";
import type { Engagement } from "./queries.ts";

export const RECALL_AT = 10;

type TopicsOf = (postId: string) => readonly string[] | undefined;

/**
 * A user's topics, heaviest first (ties by name): each topic of a post they engaged with adds
 * the decayed weight of their engagements with it (a topic counts once per post).
 */
export function rankedTopics(engaged: readonly Engagement[], topicsOf: TopicsOf): string[] {
  const weights = new Map<string, number>();
  for (const { post_id, weight } of engaged) {
    for (const topic of new Set(topicsOf(post_id))) {
      weights.set(topic, (weights.get(topic) ?? 0) + weight);
    }
  }
  return [...weights]
    .sort(([a, wa], [b, wb]) => wb - wa || (a < b ? -1 : a > b ? 1 : 0))
    .map(([topic]) => topic);
}

/**
 * recall@10, per user who engaged both before and after the point, of the topics of the posts
 * they engaged with after it, by their topics ranked from before it. Users whose later posts
 * have no topic are left out (nothing to recall); users with no earlier engagement too (no
 * version can rank anything for them, so they would only dilute every version alike).
 */
export function topicRecalls(
  before: readonly Engagement[],
  after: readonly Engagement[],
  topicsOf: TopicsOf,
): number[] {
  const history = groupByUser(before);
  const recalls: number[] = [];
  for (const [user, engaged] of groupByUser(after)) {
    const past = history.get(user);
    if (past === undefined) continue;
    const relevant = new Set(engaged.flatMap((e) => topicsOf(e.post_id) ?? []));
    const recall = recallAtK(rankedTopics(past, topicsOf), relevant, RECALL_AT);
    if (recall !== null) recalls.push(recall);
  }
  return recalls;
}

function groupByUser(rows: readonly Engagement[]): Map<string, Engagement[]> {
  const byUser = new Map<string, Engagement[]>();
  for (const row of rows) {
    const list = byUser.get(row.user_id);
    if (list) list.push(row);
    else byUser.set(row.user_id, [row]);
  }
  return byUser;
}
