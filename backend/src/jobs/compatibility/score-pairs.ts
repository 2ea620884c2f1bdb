import {
  type CompatibilityInput,
  type CompatibilityParams,
  type CompatibilityV2Params,
  DEFAULT_COMPATIBILITY_V2_PARAMS,
  InvalidActivityError,
  type MessageRecency,
  type PairActivity,
  type ScopeReason,
  scoreCompatibility,
  scoreCompatibilityV2,
} from "@feed-jobs/scoring/compatibility";
import type { PairRow } from "./pair-activity-query.ts";
import type { CompatibilityRow } from "./queries.ts";
import type { TopicProfileCache } from "./topic-profiles.ts";

export interface ScoredPair extends CompatibilityRow {
  readonly scope: readonly ScopeReason[];
}

export const COMPATIBILITY_V1 = "compatibility-v1";
export const COMPATIBILITY_V2 = "compatibility-v2";

/** The params both versions read: v1's, with v2's own under `v2` (default: v2's defaults). */
export type VersionedParams = CompatibilityParams & { readonly v2?: CompatibilityV2Params };

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

/** compatibility-v2's extra inputs: when each last wrote, and the decayed message count. */
export function toMessageRecency(row: PairRow): MessageRecency {
  return {
    lastSentAt: dateOf(row.last_sent_ms),
    lastReceivedAt: dateOf(row.last_received_ms),
    decayedMessages: row.decayed_messages ?? 0,
  };
}

/** One pair's score and factors by the run's algorithm version. */
function scoreOne(
  row: PairRow,
  input: CompatibilityInput,
  now: Date,
  params: VersionedParams,
  version: string,
) {
  if (version === COMPATIBILITY_V2) {
    return scoreCompatibilityV2(
      { ...input, messages: toMessageRecency(row) },
      now,
      params,
      params.v2 ?? DEFAULT_COMPATIBILITY_V2_PARAMS,
    );
  }
  return scoreCompatibility(input, now, params);
}

/**
 * Scores every pair of a batch with the run's algorithm version. A viewer with a pair whose
 * inputs cannot be scored is reported in `failed` and none of its pairs is returned, so its
 * stored rows stay as they were; any other error is a bug and ends the run.
 */
export function scorePairs(
  rows: readonly PairRow[],
  topics: TopicProfileCache,
  now: Date,
  params: VersionedParams,
  version: string = COMPATIBILITY_V1,
): { scored: ScoredPair[]; failed: Map<string, unknown> } {
  const scored: ScoredPair[] = [];
  const failed = new Map<string, unknown>();
  for (const row of rows) {
    if (failed.has(row.viewer_id)) continue;
    const scope = row.scope as ScopeReason[];
    try {
      const input = {
        scope,
        activity: toActivity(row),
        viewerTopics: topics.get(row.viewer_id),
        targetTopics: topics.get(row.target_id),
      };
      const { score, factors } = scoreOne(row, input, now, params, version);
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
