import { eligiblePerson, Prisma } from "@feed-jobs/db";
import type { ActivityWindow, Sql, SuggestionScope } from "./queries.ts";

/**
 * One in-scope pair with its aggregates, as the SQL returns it. Fields are left out where the
 * pair has no such rows (no messages: no `sent`, …): read an absent count as 0. Times are
 * epoch milliseconds.
 */
export interface PairRow {
  viewer_id: string;
  target_id: string;
  /** Why the pair is in scope, in the order messages, mutual_engagement, suggestion. */
  scope: string[];
  sent?: number;
  received?: number;
  last_message_ms?: number;
  last_sent_ms?: number;
  last_received_ms?: number;
  /** Messages weighted by 0.5^(age / messageHalfLifeDays), as of now. */
  decayed_messages?: number;
  replies?: number;
  /** Reply latency quartiles in seconds (p25, median, p75); absent without replies. */
  reply_quartiles?: number[];
  likes_given?: number;
  comments_given?: number;
  shares_given?: number;
  views_given?: number;
  impressions_given?: number;
  seen_given?: number;
  likes_received?: number;
  comments_received?: number;
  shares_received?: number;
  views_received?: number;
  impressions_received?: number;
  seen_received?: number;
  recent_interactions: number;
  earlier_interactions: number;
  hides?: number;
  last_hide_ms?: number;
}

export interface PairActivityBatch {
  /** In (viewer, target) order. */
  readonly pairs: PairRow[];
  /** Input rows the batch read: messages, events, negative signals, suggestions. */
  readonly rowsRead: number;
  /** The batch viewers' match scores that are NaN or ±Infinity: skipped. */
  readonly invalidMatchScores: number;
}

const DAY_MS = 86_400_000;
const ACTIONS = Prisma.sql`('LIKE', 'COMMENT', 'SHARE', 'PROFILE_VIEW')`;
const POSITIVE = Prisma.sql`('IMPRESSION', 'SEEN', 'LIKE', 'COMMENT', 'SHARE', 'PROFILE_VIEW')`;

/** Per-type counts of one direction of a pair's events, as `<kind>_<suffix>` columns. */
function counted(direction: "from_viewer" | "NOT from_viewer", suffix: "given" | "received") {
  const columns = [
    ["LIKE", "likes"],
    ["COMMENT", "comments"],
    ["SHARE", "shares"],
    ["PROFILE_VIEW", "views"],
    ["IMPRESSION", "impressions"],
    ["SEEN", "seen"],
  ].map(
    ([type, kind]) =>
      `count(*) FILTER (WHERE ${direction} AND type = '${type}')::int AS ${kind}_${suffix}`,
  );
  return Prisma.raw(columns.join(",\n             "));
}

/**
 * One set-based read per batch: every pair of a batch viewer that is in scope (messages or
 * mutual actions in the window, or a top suggestion), with its aggregates. Each side of a
 * message or event is read through its own index (sender/recipient, actor/target, each with
 * the time); reply latencies come from LAG over the pair's messages. Blocks and reports
 * either way, ever, drop the pair; hides are counted (both read through the negative-signal
 * partial indexes of migration 20261123010000_match_scores). Targets must be eligible (the
 * shared rule: an adult, neither deactivated nor deleted); an ineligible candidate still holds
 * its place among the top suggestions (match-scores never writes one, and drops a deactivated
 * user's scores on its next run).
 *
 * The pairs come back as one JSON document without nulls: on the embedded database, converting
 * thousands of rows of 25 columns through the driver adapter cost more than the query itself.
 */
export async function readPairActivity(
  db: Sql,
  viewers: readonly string[],
  w: ActivityWindow,
  suggestions: SuggestionScope,
): Promise<PairActivityBatch> {
  const ids = [...viewers];
  const [batch] = await db.$queryRaw<
    { pairs: string; rows_read: number; invalid_match_scores: number }[]
  >`
    WITH pair_messages AS (
      SELECT m.id, m.sender_id AS viewer_id, m.recipient_id AS target_id, true AS from_viewer, m.sent_at
      FROM messages m
      WHERE m.sender_id = ANY(${ids}::text[]) AND m.sent_at >= ${w.from} AND m.sent_at <= ${w.now}
      UNION ALL
      SELECT m.id, m.recipient_id, m.sender_id, false, m.sent_at
      FROM messages m
      WHERE m.recipient_id = ANY(${ids}::text[]) AND m.sent_at >= ${w.from} AND m.sent_at <= ${w.now}
    ),
    message_gaps AS (
      SELECT viewer_id, target_id, from_viewer, sent_at,
             CASE WHEN lag(from_viewer) OVER thread <> from_viewer
                  THEN extract(epoch FROM sent_at - lag(sent_at) OVER thread)::float8 END AS reply_seconds
      FROM pair_messages
      WINDOW thread AS (PARTITION BY viewer_id, target_id ORDER BY sent_at, id)
    ),
    message_stats AS (
      SELECT viewer_id, target_id,
             count(*) FILTER (WHERE from_viewer)::int AS sent,
             count(*) FILTER (WHERE NOT from_viewer)::int AS received,
             count(*) FILTER (WHERE sent_at > ${w.recentFrom})::int AS recent,
             max(sent_at) AS last_message_at,
             max(sent_at) FILTER (WHERE from_viewer) AS last_sent_at,
             max(sent_at) FILTER (WHERE NOT from_viewer) AS last_received_at,
             sum(power(0.5::float8,
               (${w.now.getTime()}::float8 - (extract(epoch FROM sent_at) * 1000)::float8)
                 / ${w.messageHalfLifeDays * DAY_MS}::float8)) AS decayed_messages,
             count(reply_seconds)::int AS replies,
             percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY reply_seconds) AS reply_quartiles
      FROM message_gaps GROUP BY viewer_id, target_id
    ),
    pair_events AS (
      SELECT e.actor_id AS viewer_id, e.target_user_id AS target_id, true AS from_viewer, e.type,
             e.occurred_at > ${w.recentFrom} AS recent
      FROM engagement_events e
      WHERE e.actor_id = ANY(${ids}::text[]) AND e.occurred_at >= ${w.from} AND e.occurred_at <= ${w.now}
        AND e.type IN ${POSITIVE}
      UNION ALL
      SELECT e.target_user_id, e.actor_id, false, e.type, e.occurred_at > ${w.recentFrom}
      FROM engagement_events e
      WHERE e.target_user_id = ANY(${ids}::text[]) AND e.occurred_at >= ${w.from} AND e.occurred_at <= ${w.now}
        AND e.type IN ${POSITIVE}
    ),
    mutual AS (
      SELECT viewer_id, target_id FROM pair_events WHERE type IN ${ACTIONS}
      GROUP BY viewer_id, target_id HAVING bool_or(from_viewer) AND bool_or(NOT from_viewer)
    ),
    negative_events AS (
      SELECT e.actor_id AS viewer_id, e.target_user_id AS target_id, e.type, e.occurred_at
      FROM engagement_events e
      WHERE e.actor_id = ANY(${ids}::text[]) AND e.type IN ('HIDE', 'BLOCK', 'REPORT') AND e.occurred_at <= ${w.now}
      UNION ALL
      SELECT e.target_user_id, e.actor_id, e.type, e.occurred_at
      FROM engagement_events e
      WHERE e.target_user_id = ANY(${ids}::text[]) AND e.type IN ('HIDE', 'BLOCK', 'REPORT') AND e.occurred_at <= ${w.now}
    ),
    negative_stats AS (
      SELECT viewer_id, target_id,
             bool_or(type IN ('BLOCK', 'REPORT')) AS excluded, count(*)::int AS n,
             count(*) FILTER (WHERE type = 'HIDE')::int AS hides,
             max(occurred_at) FILTER (WHERE type = 'HIDE') AS last_hide_at
      FROM negative_events GROUP BY viewer_id, target_id
    ),
    suggested AS (
      -- The edge for match scores: NaN and ±Infinity are no score (NaN would rank first).
      SELECT ms.viewer_user_id AS viewer_id, ms.candidate_user_id AS target_id, ms.score,
             ms.score > '-Infinity'::float8 AND ms.score < 'Infinity'::float8 AS valid
      FROM match_scores ms
      WHERE ms.viewer_user_id = ANY(${ids}::text[])
        AND (ms.score >= ${suggestions.minScore} OR ms.score = '-Infinity'::float8)
    ),
    ranked_suggestions AS (
      SELECT viewer_id, target_id,
             row_number() OVER (PARTITION BY viewer_id ORDER BY score DESC, target_id) AS rank
      FROM suggested WHERE valid
    ),
    scope AS (
      SELECT viewer_id, target_id, 1 AS rank, 'messages' AS reason FROM message_stats
      UNION ALL SELECT viewer_id, target_id, 2, 'mutual_engagement' FROM mutual
      UNION ALL SELECT viewer_id, target_id, 3, 'suggestion' FROM ranked_suggestions WHERE rank <= ${suggestions.limit}
    ),
    pairs AS (
      SELECT viewer_id, target_id, array_agg(reason ORDER BY rank) AS scope
      FROM scope WHERE viewer_id <> target_id GROUP BY viewer_id, target_id
    ),
    event_stats AS (
      SELECT e.viewer_id, e.target_id,
             ${counted("from_viewer", "given")},
             ${counted("NOT from_viewer", "received")},
             count(*) FILTER (WHERE type IN ${ACTIONS})::int AS actions,
             count(*) FILTER (WHERE type IN ${ACTIONS} AND recent)::int AS recent_actions
      FROM pair_events e JOIN pairs p ON p.viewer_id = e.viewer_id AND p.target_id = e.target_id
      GROUP BY e.viewer_id, e.target_id
    ),
    pair_facts AS MATERIALIZED (
      -- Joined before the targets' eligibility is checked: the planner reads that check as
      -- keeping a handful of pairs and would then re-aggregate event_stats once per pair.
      SELECT p.viewer_id, p.target_id, p.scope, m.sent, m.received, m.recent AS recent_messages,
             m.last_message_at, m.last_sent_at, m.last_received_at, m.decayed_messages, m.replies,
             m.reply_quartiles, e.likes_given, e.comments_given, e.shares_given, e.views_given,
             e.impressions_given, e.seen_given, e.likes_received, e.comments_received,
             e.shares_received, e.views_received, e.impressions_received, e.seen_received,
             e.actions, e.recent_actions, n.hides, n.last_hide_at
      FROM pairs p
      LEFT JOIN message_stats m ON m.viewer_id = p.viewer_id AND m.target_id = p.target_id
      LEFT JOIN event_stats e ON e.viewer_id = p.viewer_id AND e.target_id = p.target_id
      LEFT JOIN negative_stats n ON n.viewer_id = p.viewer_id AND n.target_id = p.target_id
      WHERE NOT coalesce(n.excluded, false)
    ),
    in_scope AS (
      SELECT f.viewer_id, f.target_id, f.scope, f.sent, f.received,
             floor(extract(epoch FROM f.last_message_at) * 1000)::bigint AS last_message_ms,
             floor(extract(epoch FROM f.last_sent_at) * 1000)::bigint AS last_sent_ms,
             floor(extract(epoch FROM f.last_received_at) * 1000)::bigint AS last_received_ms,
             f.decayed_messages,
             f.replies, CASE WHEN f.replies > 0 THEN f.reply_quartiles END AS reply_quartiles,
             f.likes_given, f.comments_given, f.shares_given, f.views_given, f.impressions_given, f.seen_given,
             f.likes_received, f.comments_received, f.shares_received, f.views_received,
             f.impressions_received, f.seen_received,
             coalesce(f.recent_messages, 0) + coalesce(f.recent_actions, 0) AS recent_interactions,
             coalesce(f.sent + f.received - f.recent_messages, 0)
               + coalesce(f.actions - f.recent_actions, 0) AS earlier_interactions,
             f.hides, floor(extract(epoch FROM f.last_hide_at) * 1000)::bigint AS last_hide_ms
      FROM pair_facts f
      JOIN users t ON t.id = f.target_id AND ${eligiblePerson("t", w.now)}
    )
    SELECT (SELECT coalesce(json_agg(json_strip_nulls(row_to_json(in_scope)) ORDER BY viewer_id, target_id), '[]') FROM in_scope)::text AS pairs,
           ((SELECT coalesce(sum(sent + received), 0) FROM message_stats)
             + (SELECT count(*) FROM pair_events) + (SELECT coalesce(sum(n), 0) FROM negative_stats)
             + (SELECT count(*) FROM suggested))::int AS rows_read,
           (SELECT count(*) FROM suggested WHERE NOT valid)::int AS invalid_match_scores`;
  return {
    pairs: JSON.parse(batch?.pairs ?? "[]") as PairRow[],
    rowsRead: batch?.rows_read ?? 0,
    invalidMatchScores: batch?.invalid_match_scores ?? 0,
  };
}
