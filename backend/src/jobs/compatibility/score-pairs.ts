import {
  type CompatibilityParams,
  InvalidActivityError,
  type PairActivity,
  type ScopeReason,
  scoreCompatibility,
} from "@feed-jobs/scoring/compatibility";
import type { PairRow } from "./pair-activity-query.ts";
import type { CompatibilityRow } from "./queries.ts";
import type { TopicProfileCache } from "./topic-profiles.ts";

export interface ScoredPair extends CompatibilityRow {
  readonly scope: readonly ScopeReason[];
}

const dateOf = (epochMs: number | undefined) => (epochMs === undefined ? null : new Date(epochMs));

/** The SQL aggregates of one pair as the scoring module's input (an absent count is 0). */
export function toActivity(row: PairRow): PairActivity {
  const [p25, median, p75] = row.reply_quartiles ?? [];
  return {
    messagesSent: row.sent ?? 0,
    messagesReceived: row.received ?? 0,
    lastMessageAt: dateOf(row.last_message_ms),
    replies: {
      count: row.replies ?? 0,
      p25Seconds: p25 ?? null,
      medianSeconds: median ?? null,
      p75Seconds: p75 ?? null,
    },
    actionsGiven: {
      likes: row.likes_given ?? 0,
      comments: row.comments_given ?? 0,
      shares: row.shares_given ?? 0,
      profileViews: row.views_given ?? 0,
    },
    actionsReceived: {
      likes: row.likes_received ?? 0,
      comments: row.comments_received ?? 0,
      shares: row.shares_received ?? 0,
      profileViews: row.views_received ?? 0,
    },
    exposureGiven: { impressions: row.impressions_given ?? 0, seen: row.seen_given ?? 0 },
    exposureReceived: { impressions: row.impressions_received ?? 0, seen: row.seen_received ?? 0 },
    recentInteractions: row.recent_interactions,
    earlierInteractions: row.earlier_interactions,
    hides: { count: row.hides ?? 0, lastAt: dateOf(row.last_hide_ms) },
  };
}

/**
 * Scores every pair of a batch. A viewer with a pair whose inputs cannot be scored is reported
 * in `failed` and none of its pairs is returned, so its stored rows stay as they were; any
 * other error is a bug and ends the run.
 */
export function scorePairs(
  rows: readonly PairRow[],
  topics: TopicProfileCache,
  now: Date,
  params: CompatibilityParams,
): { scored: ScoredPair[]; failed: Map<string, unknown> } {
  const scored: ScoredPair[] = [];
  const failed = new Map<string, unknown>();
  for (const row of rows) {
    if (failed.has(row.viewer_id)) continue;
    const scope = row.scope as ScopeReason[];
    try {
      const { score, factors } = scoreCompatibility(
        {
          scope,
          activity: toActivity(row),
          viewerTopics: topics.get(row.viewer_id),
          targetTopics: topics.get(row.target_id),
        },
        now,
        params,
      );
      scored.push({
        viewerId: row.viewer_id,
        targetId: row.target_id,
        score,
        scope,
        factors,
      });
    } catch (error) {
      if (!(error instanceof InvalidActivityError)) throw error;
      failed.set(row.viewer_id, error);
    }
  }
  return { scored: scored.filter((pair) => !failed.has(pair.viewerId)), failed };
}
