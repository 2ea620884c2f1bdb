import { type Database, eligiblePerson } from "@feed-jobs/db";
import type { EvalPoint } from "../types.ts";

/** The weights of a post's next-day engagement (the trending job's popularity defaults). */
export interface EngagementWeights {
  readonly like: number;
  readonly comment: number;
  readonly share: number;
}

/** A post the trending job could score at T (live, eligible author, not nsfw, not reported by T). */
export interface PostOutcome {
  readonly postId: string;
  readonly createdAt: Date;
  /** Created in the `windowHours` before T: a post the job's window (and Reddit hot) ranks. */
  readonly inWindow: boolean;
  /** Likes, comments and shares by others up to T (Reddit's ups). */
  readonly ups: number;
  /** Hides by others up to T (Reddit's downs). */
  readonly downs: number;
  /** Weighted likes, comments and shares by others in (T, until]: what a ranking should predict. */
  readonly engagement: number;
}

interface OutcomeRow {
  id: string;
  created_at: Date;
  in_window: boolean;
  ups: number;
  downs: number;
  engagement: number;
}

/**
 * What happened around one point, in one set-based statement: every post created in the
 * `windowHours` before T, and every older post that got engagement in (T, until]; each with its
 * votes up to T and its weighted engagement after T. Only posts the job could score at T are
 * kept: live at T, by an author eligible at T, not flagged nsfw, not reported by T (the job's
 * own exclusions, so coverage measures the gate, not policy). The author's own events never
 * count. Ordered by id.
 */
export async function readOutcomes(
  db: Database,
  point: EvalPoint,
  windowHours: number,
  weights: EngagementWeights,
): Promise<PostOutcome[]> {
  const { asOf, until } = point;
  const windowStart = new Date(asOf.getTime() - windowHours * 3_600_000);
  const rows = await db.prisma.$queryRaw<OutcomeRow[]>`
    WITH ranked AS MATERIALIZED (
      SELECT p.id, p.author_id, p.created_at, p.deleted_at
      FROM (SELECT id FROM posts WHERE created_at > ${windowStart} AND created_at <= ${asOf}
            UNION
            SELECT post_id FROM engagement_events
            WHERE occurred_at > ${asOf} AND occurred_at <= ${until}
              AND type IN ('LIKE', 'COMMENT', 'SHARE')) r
      JOIN posts p ON p.id = r.id
      WHERE p.created_at <= ${asOf}
    )
    SELECT p.id, p.created_at, p.created_at > ${windowStart} AS in_window,
           v.ups::int AS ups, v.downs::int AS downs, v.engagement::float8 AS engagement
    FROM ranked p
    JOIN users a ON a.id = p.author_id
    LEFT JOIN post_features f ON f.post_id = p.id
    -- Each post's events up to \`until\` in one index lookup (engagement_events(post_id, occurred_at)).
    CROSS JOIN LATERAL (
      SELECT count(*) FILTER (WHERE e.occurred_at <= ${asOf}
                                AND e.type IN ('LIKE', 'COMMENT', 'SHARE')) AS ups,
             count(*) FILTER (WHERE e.occurred_at <= ${asOf} AND e.type = 'HIDE') AS downs,
             count(*) FILTER (WHERE e.occurred_at <= ${asOf} AND e.type = 'REPORT') AS reports,
             coalesce(sum(CASE e.type WHEN 'LIKE' THEN ${weights.like}::float8
                                      WHEN 'COMMENT' THEN ${weights.comment}::float8
                                      ELSE ${weights.share}::float8 END)
                        FILTER (WHERE e.occurred_at > ${asOf}
                                  AND e.type IN ('LIKE', 'COMMENT', 'SHARE')), 0) AS engagement
      FROM engagement_events e
      WHERE e.post_id = p.id AND e.occurred_at <= ${until} AND e.actor_id <> p.author_id
        AND e.type IN ('LIKE', 'COMMENT', 'SHARE', 'HIDE', 'REPORT')
    ) v
    WHERE (p.deleted_at IS NULL OR p.deleted_at > ${asOf})
      AND ${eligiblePerson("a", asOf)}
      AND NOT coalesce(f.nsfw, false)
      AND v.reports = 0
    ORDER BY p.id COLLATE "C"`;
  return rows.map((row) => ({
    postId: row.id,
    createdAt: row.created_at,
    inWindow: row.in_window,
    ups: row.ups,
    downs: row.downs,
    engagement: row.engagement,
  }));
}
