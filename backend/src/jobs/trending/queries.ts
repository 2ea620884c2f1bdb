import { eligiblePerson, type IneligibleReason, ineligibleReason, Prisma } from "@feed-jobs/db";
import type { TrendingScore, TrendingV2Candidate } from "@feed-jobs/scoring/trending";

/** The client or an interactive transaction: repository functions work with either. */
type Sql = Pick<Prisma.TransactionClient, "$queryRaw" | "$executeRaw">;

export interface WindowQuery {
  readonly now: Date;
  /** Posts created after this (exclusive) and at or before `now` are in the window. */
  readonly windowStart: Date;
  /** Actions after this (exclusive) count towards velocity. */
  readonly velocityStart: Date;
  readonly minEngagements: number;
  readonly profileViewAttributionMinutes: number;
  /** Each action's weight in `decayedActions` halves every this many hours (trending-v2). */
  readonly velocityHalfLifeHours: number;
}

export interface WindowAggregate {
  /** Posts read from the window (the budget's "posts scanned"), excluded ones included. */
  readonly postsScanned: number;
  /** Posts in the window dropped as deleted, by an ineligible author, or nsfw. */
  readonly excludedPosts: number;
  /** Posts in the window by an ineligible author (a minor, …), by the author's reason. */
  readonly ineligibleAuthors: Partial<Record<IneligibleReason, number>>;
  /** Actions on window posts by people not eligible (deleted, a minor, …): not counted. */
  readonly actionsByIneligible: number;
  /** Posts in the window with at least one report (hard exclusion). */
  readonly reportedPosts: number;
  /** Engagement rows counted: actions, hides and reports, plus attributed profile views. */
  readonly engagementRowsAggregated: number;
  /** Posts that passed the gate, ordered by id. */
  readonly candidates: TrendingV2Candidate[];
}

interface WindowRow {
  posts_scanned: number;
  excluded_posts: number;
  ineligible_authors: Partial<Record<IneligibleReason, number>>;
  actions_by_ineligible: number;
  reported_posts: number;
  engagement_rows: number;
  id: string | null;
  created_at: Date;
  likes: number;
  comments: number;
  shares: number;
  hides: number;
  profile_views: number;
  recent_actions: number;
  decayed_actions: number;
  was_trending: boolean | null;
  previous_peak_time: Date | null;
}

/**
 * One set-based pass over the window: the posts come from posts(created_at), their actions
 * from the partial index engagement_events_post_action_idx, grouped by post, profile views
 * from engagement_events_profile_view_target_idx; the gate is applied in SQL.
 * A profile view counts for a post when its viewer had an impression or "seen" of that post in
 * the preceding `profileViewAttributionMinutes` (each viewer once per post). The author's own
 * events on their post are ignored, and so are the actions and profile views of people who are
 * not eligible (a report counts whoever made it). A post whose author is not eligible (the shared rule: an
 * adult, neither deactivated nor deleted) is never a candidate. The statement always returns the window's totals: a single
 * row with a null id when no post passes the gate. `decayed_actions` weighs each action (a
 * profile viewer's latest attributed view) by 0.5 ^ (its age / velocityHalfLifeHours); the
 * exponent is capped where the weight is still a double, as PostgreSQL refuses an underflow.
 */
export async function aggregateWindow(db: Sql, q: WindowQuery): Promise<WindowAggregate> {
  const decayed = (at: Prisma.Sql) =>
    Prisma.sql`power(0.5::float8, least(extract(epoch FROM (${q.now}::timestamp - ${at}))::float8
                                         / (${q.velocityHalfLifeHours}::float8 * 3600), 1000))`;
  const rows = await db.$queryRaw<WindowRow[]>`
    WITH authored AS (
      SELECT p.id, p.author_id, p.created_at, p.deleted_at, f.nsfw,
             ${ineligibleReason("a", q.now)} AS author_ineligible
      FROM posts p
      JOIN users a ON a.id = p.author_id
      LEFT JOIN post_features f ON f.post_id = p.id
      WHERE p.created_at > ${q.windowStart} AND p.created_at <= ${q.now}
    ),
    windowed AS (
      SELECT id, author_id, created_at, author_ineligible,
             (deleted_at IS NULL OR deleted_at > ${q.now})
         AND author_ineligible IS NULL
         AND NOT coalesce(nsfw, false) AS eligible
      FROM authored
    ),
    post_events AS (
      -- The edge for events: only eligible people's actions count (a report always does).
      SELECT w.id AS post_id, e.type, e.occurred_at,
             e.type = 'REPORT' OR ${eligiblePerson("x", q.now)} AS counts
      FROM windowed w
      JOIN engagement_events e ON e.post_id = w.id
      JOIN users x ON x.id = e.actor_id
      WHERE w.eligible
        AND e.occurred_at > ${q.windowStart} AND e.occurred_at <= ${q.now}
        AND e.type IN ('LIKE', 'COMMENT', 'SHARE', 'HIDE', 'REPORT')
        AND e.actor_id <> w.author_id
    ),
    engagement AS (
      SELECT post_id,
             count(*) FILTER (WHERE type = 'LIKE') AS likes,
             count(*) FILTER (WHERE type = 'COMMENT') AS comments,
             count(*) FILTER (WHERE type = 'SHARE') AS shares,
             count(*) FILTER (WHERE type = 'HIDE') AS hides,
             count(*) FILTER (WHERE type = 'REPORT') AS reports,
             count(*) FILTER (WHERE type IN ('LIKE', 'COMMENT', 'SHARE')
                                AND occurred_at > ${q.velocityStart}) AS recent_actions,
             coalesce(sum(${decayed(Prisma.sql`occurred_at`)})
                        FILTER (WHERE type IN ('LIKE', 'COMMENT', 'SHARE')), 0) AS decayed_actions,
             count(*) AS event_rows
      FROM post_events WHERE counts
      GROUP BY post_id
    ),
    viewers AS (
      -- Each attributed viewer once per post, at their latest view.
      SELECT w.id AS post_id, pv.actor_id, max(pv.occurred_at) AS last_view
      FROM (SELECT DISTINCT author_id FROM windowed WHERE eligible) authors
      JOIN engagement_events pv ON pv.target_user_id = authors.author_id
      JOIN users x ON x.id = pv.actor_id AND ${eligiblePerson("x", q.now)}
      CROSS JOIN LATERAL (
        -- DISTINCT keeps this a per-view lookup on (actor_id, occurred_at), not a join
        -- against every exposure in the log.
        SELECT DISTINCT x.post_id FROM engagement_events x
        WHERE x.actor_id = pv.actor_id AND x.target_user_id = pv.target_user_id
          AND x.type IN ('IMPRESSION', 'SEEN')
          AND x.occurred_at <= pv.occurred_at
          AND x.occurred_at >= pv.occurred_at
                               - ${q.profileViewAttributionMinutes}::float8 * interval '1 minute'
      ) seen
      JOIN windowed w ON w.id = seen.post_id AND w.eligible
      WHERE pv.type = 'PROFILE_VIEW' AND pv.actor_id <> pv.target_user_id
        AND pv.occurred_at > ${q.windowStart} AND pv.occurred_at <= ${q.now}
      GROUP BY w.id, pv.actor_id
    ),
    profile_views AS (
      SELECT post_id,
             count(*) AS profile_views,
             count(*) FILTER (WHERE last_view > ${q.velocityStart}) AS recent_profile_views,
             sum(${decayed(Prisma.sql`last_view`)}) AS decayed_profile_views
      FROM viewers
      GROUP BY post_id
    ),
    candidates AS (
      SELECT w.id, w.created_at,
             coalesce(e.likes, 0)::int AS likes,
             coalesce(e.comments, 0)::int AS comments,
             coalesce(e.shares, 0)::int AS shares,
             coalesce(e.hides, 0)::int AS hides,
             coalesce(v.profile_views, 0)::int AS profile_views,
             (coalesce(e.recent_actions, 0) + coalesce(v.recent_profile_views, 0))::int
               AS recent_actions,
             (coalesce(e.decayed_actions, 0) + coalesce(v.decayed_profile_views, 0))::float8
               AS decayed_actions,
             t.is_trending AS was_trending,
             t.peak_time AS previous_peak_time
      FROM windowed w
      LEFT JOIN engagement e ON e.post_id = w.id
      LEFT JOIN profile_views v ON v.post_id = w.id
      LEFT JOIN trending_scores t ON t.post_id = w.id
      WHERE w.eligible
        AND coalesce(e.reports, 0) = 0
        AND coalesce(e.likes + e.comments + e.shares, 0) + coalesce(v.profile_views, 0)
            >= ${q.minEngagements}::int
    ),
    totals AS (
      SELECT (SELECT count(*) FROM windowed)::int AS posts_scanned,
             (SELECT count(*) FROM windowed WHERE NOT eligible)::int AS excluded_posts,
             (SELECT coalesce(jsonb_object_agg(author_ineligible, n), '{}') FROM (
                SELECT author_ineligible, count(*)::int AS n FROM windowed
                WHERE author_ineligible IS NOT NULL GROUP BY author_ineligible) r
             ) AS ineligible_authors,
             (SELECT count(*) FROM post_events WHERE NOT counts)::int AS actions_by_ineligible,
             (SELECT count(*) FROM engagement WHERE reports > 0)::int AS reported_posts,
             ((SELECT coalesce(sum(event_rows), 0) FROM engagement)
               + (SELECT coalesce(sum(profile_views), 0) FROM profile_views))::int
               AS engagement_rows
    )
    SELECT totals.*, c.*
    FROM totals
    LEFT JOIN candidates c ON true
    ORDER BY c.id COLLATE "C"`;
  const first = rows[0];
  return {
    postsScanned: first?.posts_scanned ?? 0,
    excludedPosts: first?.excluded_posts ?? 0,
    ineligibleAuthors: first?.ineligible_authors ?? {},
    actionsByIneligible: first?.actions_by_ineligible ?? 0,
    reportedPosts: first?.reported_posts ?? 0,
    engagementRowsAggregated: first?.engagement_rows ?? 0,
    candidates: rows.flatMap((row) => (row.id === null ? [] : [toCandidate(row, row.id)])),
  };
}

function toCandidate(row: WindowRow, postId: string): TrendingV2Candidate {
  return {
    postId,
    createdAt: row.created_at,
    likes: row.likes,
    comments: row.comments,
    shares: row.shares,
    profileViews: row.profile_views,
    hides: row.hides,
    recentActions: row.recent_actions,
    decayedActions: row.decayed_actions,
    previous:
      row.was_trending === null
        ? null
        : { wasTrending: row.was_trending, peakTime: row.previous_peak_time },
  };
}

export interface ScoreStamp {
  readonly computedAt: Date;
  readonly expiresAt: Date;
  readonly algorithmVersion: string;
}

/** Upserts every score in one statement; posts hard-deleted since the read are skipped. */
export async function upsertScores(
  db: Sql,
  scores: readonly TrendingScore[],
  stamp: ScoreStamp,
): Promise<number> {
  if (scores.length === 0) return 0;
  return db.$executeRaw`
    INSERT INTO trending_scores (post_id, popularity, velocity, is_trending, peak_time,
      decay_multiplier, engagement_count, computed_at, expires_at, algorithm_version)
    SELECT s.post_id, s.popularity, s.velocity, s.is_trending, s.peak_time,
           s.decay_multiplier, s.engagement_count,
           ${stamp.computedAt}, ${stamp.expiresAt}, ${stamp.algorithmVersion}
    FROM unnest(
      ${scores.map((s) => s.postId)}::text[],
      ${scores.map((s) => s.popularity)}::float8[],
      ${scores.map((s) => s.velocity)}::float8[],
      ${scores.map((s) => s.isTrending)}::boolean[],
      ${scores.map((s) => s.peakTime)}::timestamp[],
      ${scores.map((s) => s.decayMultiplier)}::float8[],
      ${scores.map((s) => s.engagementCount)}::int[]
    ) AS s(post_id, popularity, velocity, is_trending, peak_time, decay_multiplier,
           engagement_count)
    JOIN posts p ON p.id = s.post_id
    ON CONFLICT (post_id) DO UPDATE SET
      popularity = EXCLUDED.popularity,
      velocity = EXCLUDED.velocity,
      is_trending = EXCLUDED.is_trending,
      peak_time = EXCLUDED.peak_time,
      decay_multiplier = EXCLUDED.decay_multiplier,
      engagement_count = EXCLUDED.engagement_count,
      computed_at = EXCLUDED.computed_at,
      expires_at = EXCLUDED.expires_at,
      algorithm_version = EXCLUDED.algorithm_version`;
}

/**
 * Removes every score whose post is not a candidate of this run: it left the window, lost the
 * gate, or was reported, flagged nsfw or deleted since. Rows older than `expiryHours` are
 * necessarily among them, since every candidate's row was just rewritten.
 */
export async function removeScoresExcept(db: Sql, candidatePostIds: readonly string[]) {
  return db.$executeRaw`
    DELETE FROM trending_scores t
    WHERE NOT EXISTS (
      SELECT 1 FROM unnest(${candidatePostIds}::text[]) AS c(post_id) WHERE c.post_id = t.post_id
    )`;
}
