import { eligiblePerson, Prisma } from "@feed-jobs/db";

/** The client or an interactive transaction: repository functions work with either. */
type Sql = Pick<Prisma.TransactionClient, "$queryRaw" | "$executeRaw">;

/** Seed "Negative Signals" by the viewer: each excludes a creator (a post hide: only the post). */
const NEGATIVE_BY_VIEWER = Prisma.raw("('HIDE', 'BLOCK', 'REPORT')");
/** Negative signals against the viewer that exclude the actor from the viewer's feed. */
const NEGATIVE_AGAINST_VIEWER = Prisma.raw("('BLOCK', 'REPORT')");

export interface StateQuery {
  readonly now: Date;
  /** Seen and hidden posts count only after this (the feed's candidate window). */
  readonly windowStart: Date;
  /** Most recently seen posts kept per viewer. */
  readonly maxSeenPosts: number;
}

/** The table of states, for the cleanup of ineligible viewers' (jobs/eligibility.ts). */
export const STATES = { table: "viewer_feed_state", personColumns: ["viewer_user_id"] } as const;

export async function userExists(db: Sql, id: string): Promise<boolean> {
  const rows = await db.$queryRaw<{ id: string }[]>`SELECT id FROM users WHERE id = ${id}`;
  return rows.length > 0;
}

/**
 * Eligible viewers whose state is missing, of another algorithm version, or older than one of
 * their signals: a seen, hide, block or report by them, or a block or report of them
 * (engagement_events(actor_id, occurred_at) and the partial negative-signal index by target).
 */
export async function viewersDue(db: Sql, now: Date, algorithmVersion: string): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT u.id FROM users u
    LEFT JOIN viewer_feed_state s ON s.viewer_user_id = u.id
    WHERE ${eligiblePerson("u", now)}
      AND (s.viewer_user_id IS NULL
        OR s.algorithm_version <> ${algorithmVersion}
        OR EXISTS (
          SELECT 1 FROM engagement_events e
          WHERE e.actor_id = u.id AND e.type IN ('SEEN', 'HIDE', 'BLOCK', 'REPORT')
            AND e.occurred_at > s.computed_at AND e.occurred_at <= ${now}::timestamp)
        OR EXISTS (
          SELECT 1 FROM engagement_events e
          WHERE e.target_user_id = u.id AND e.type IN ${NEGATIVE_AGAINST_VIEWER}
            AND e.occurred_at > s.computed_at AND e.occurred_at <= ${now}::timestamp))
    ORDER BY u.id`;
  return rows.map((r) => r.id);
}

/** One viewer's computed state; the id lists only when asked for (`withIds`). */
export interface ComputedState {
  viewer_id: string;
  excluded_creators: number;
  hidden_posts: number;
  seen_posts: number;
  /** Engagement rows aggregated for the viewer (the budget's rows scanned). */
  events_read: number;
  excluded_creator_ids: string[] | null;
  hidden_post_ids: string[] | null;
  seen_post_ids: string[] | null;
}

/**
 * The state of each viewer in `ids`, set-based: negative signals by the viewer (whenever they
 * happened) and blocks and reports of the viewer, both by the partial negative-signal indexes;
 * the viewer's "seen" events of the window by engagement_events(actor_id, occurred_at).
 * Excluded: every user the viewer blocked, reported (a profile or one of their posts) or hid
 * as a profile, and every user who blocked or reported the viewer. Hidden: posts the viewer
 * hid in the window. Seen: distinct posts seen in the window, latest first, at most maxSeenPosts.
 */
function computedStates(ids: readonly string[], q: StateQuery): Prisma.Sql {
  return Prisma.sql`
    WITH batch AS (SELECT unnest(${ids}::text[]) AS viewer_id),
    negative AS (
      SELECT e.actor_id AS viewer_id, e.type, e.post_id, e.target_user_id AS other_id, e.occurred_at
      FROM engagement_events e
      WHERE e.actor_id = ANY(${ids}::text[]) AND e.type IN ${NEGATIVE_BY_VIEWER}
        AND e.occurred_at <= ${q.now}::timestamp
      UNION ALL
      SELECT e.target_user_id, e.type, NULL, e.actor_id, e.occurred_at
      FROM engagement_events e
      WHERE e.target_user_id = ANY(${ids}::text[]) AND e.type IN ${NEGATIVE_AGAINST_VIEWER}
        AND e.occurred_at <= ${q.now}::timestamp
    ),
    excluded AS (
      SELECT viewer_id, array_agg(DISTINCT other_id) AS ids FROM negative
      WHERE other_id <> viewer_id AND (type <> 'HIDE' OR post_id IS NULL)
      GROUP BY viewer_id
    ),
    hidden AS (
      SELECT viewer_id, array_agg(DISTINCT post_id) AS ids FROM negative
      WHERE type = 'HIDE' AND post_id IS NOT NULL AND occurred_at > ${q.windowStart}::timestamp
      GROUP BY viewer_id
    ),
    negative_counts AS (SELECT viewer_id, count(*)::int AS events FROM negative GROUP BY viewer_id),
    seen_posts AS (
      SELECT e.actor_id AS viewer_id, e.post_id, count(*)::int AS events,
             row_number() OVER (PARTITION BY e.actor_id
                                ORDER BY max(e.occurred_at) DESC, e.post_id) AS position
      FROM engagement_events e
      WHERE e.actor_id = ANY(${ids}::text[]) AND e.type = 'SEEN' AND e.post_id IS NOT NULL
        AND e.occurred_at > ${q.windowStart}::timestamp AND e.occurred_at <= ${q.now}::timestamp
      GROUP BY e.actor_id, e.post_id
    ),
    seen AS (
      SELECT viewer_id,
             array_agg(post_id ORDER BY position) FILTER (WHERE position <= ${q.maxSeenPosts}::int) AS ids,
             sum(events)::int AS events
      FROM seen_posts GROUP BY viewer_id
    ),
    computed AS (
      SELECT b.viewer_id,
             coalesce(x.ids, '{}') AS excluded_creator_ids,
             coalesce(h.ids, '{}') AS hidden_post_ids,
             coalesce(s.ids, '{}') AS seen_post_ids,
             (coalesce(n.events, 0) + coalesce(s.events, 0))::int AS events_read
      FROM batch b
      LEFT JOIN excluded x ON x.viewer_id = b.viewer_id
      LEFT JOIN hidden h ON h.viewer_id = b.viewer_id
      LEFT JOIN negative_counts n ON n.viewer_id = b.viewer_id
      LEFT JOIN seen s ON s.viewer_id = b.viewer_id
    )`;
}

function summary(withIds: boolean): Prisma.Sql {
  return Prisma.sql`
    SELECT viewer_id,
           cardinality(excluded_creator_ids)::int AS excluded_creators,
           cardinality(hidden_post_ids)::int AS hidden_posts,
           cardinality(seen_post_ids)::int AS seen_posts,
           events_read,
           CASE WHEN ${withIds}::boolean THEN excluded_creator_ids END AS excluded_creator_ids,
           CASE WHEN ${withIds}::boolean THEN hidden_post_ids END AS hidden_post_ids,
           CASE WHEN ${withIds}::boolean THEN seen_post_ids END AS seen_post_ids
    FROM computed ORDER BY viewer_id`;
}

/** Computes the states without writing them (dry runs). */
export async function previewStates(
  db: Sql,
  ids: readonly string[],
  q: StateQuery,
  withIds: boolean,
): Promise<ComputedState[]> {
  return db.$queryRaw<ComputedState[]>`${computedStates(ids, q)} ${summary(withIds)}`;
}

/** Computes and upserts the states in one statement: each viewer's row is replaced whole. */
export async function writeStates(
  db: Sql,
  ids: readonly string[],
  q: StateQuery,
  withIds: boolean,
  algorithmVersion: string,
): Promise<ComputedState[]> {
  return db.$queryRaw<ComputedState[]>`
    ${computedStates(ids, q)},
    written AS (
      INSERT INTO viewer_feed_state (viewer_user_id, excluded_creator_ids, hidden_post_ids,
                                     seen_post_ids, computed_at, algorithm_version)
      SELECT viewer_id, excluded_creator_ids, hidden_post_ids, seen_post_ids,
             ${q.now}::timestamp, ${algorithmVersion}
      FROM computed
      ON CONFLICT (viewer_user_id) DO UPDATE SET
        excluded_creator_ids = EXCLUDED.excluded_creator_ids,
        hidden_post_ids = EXCLUDED.hidden_post_ids,
        seen_post_ids = EXCLUDED.seen_post_ids,
        computed_at = EXCLUDED.computed_at,
        algorithm_version = EXCLUDED.algorithm_version
    )
    ${summary(withIds)}`;
}
