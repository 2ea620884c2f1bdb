import { type Database, eligiblePerson, Prisma } from "@feed-jobs/db";
import type { EvalPoint } from "../types.ts";

const DAY_MS = 86_400_000;
/** What counts as engaging with a post: the actions, not impressions or views. */
const ENGAGEMENT = Prisma.sql`('LIKE', 'COMMENT', 'SHARE')`;

/** A post created in the week before a point, what happened to it next, and its author's record. */
export interface WindowPost {
  readonly post_id: string;
  /** Likes, comments and shares by others in (asOf, until]. */
  readonly engagement: number;
  /**
   * Engagement by others before asOf on the author's posts created before this one (within
   * the history window), per such post; 0 for an author's first post.
   */
  readonly author_rate: number;
}

/**
 * The posts created in (asOf − windowDays, asOf], live at asOf, whose author is eligible then
 * (the posts the job scores as of asOf), with their engagement in the point's window and their
 * author's past engagement per post. Set-based, by posts(author_id, created_at) and
 * engagement_events(post_id, occurred_at).
 */
export function windowPosts(
  db: Database,
  point: EvalPoint,
  windowDays: number,
  historyDays: number,
): Promise<WindowPost[]> {
  const { asOf, until } = point;
  const from = new Date(asOf.getTime() - windowDays * DAY_MS);
  const historyFrom = new Date(asOf.getTime() - historyDays * DAY_MS);
  return db.prisma.$queryRaw<WindowPost[]>`
    WITH recent AS (
      SELECT p.id, p.author_id, p.created_at
      FROM posts p JOIN users a ON a.id = p.author_id AND ${eligiblePerson("a", asOf)}
      WHERE p.created_at > ${from} AND p.created_at <= ${asOf}
        AND (p.deleted_at IS NULL OR p.deleted_at > ${asOf})
    ),
    earlier AS (
      SELECT p.id, p.author_id, p.created_at
      FROM posts p
      WHERE p.author_id IN (SELECT author_id FROM recent)
        AND p.created_at > ${historyFrom} AND p.created_at <= ${asOf}
    ),
    received AS (
      SELECT e.post_id, count(*)::int AS n
      FROM engagement_events e JOIN earlier p ON p.id = e.post_id
      WHERE e.type IN ${ENGAGEMENT} AND e.occurred_at <= ${asOf} AND e.actor_id <> p.author_id
      GROUP BY e.post_id
    ),
    record AS (
      SELECT r.id, count(p.id)::int AS posts, coalesce(sum(x.n), 0)::float8 AS engagement
      FROM recent r
      LEFT JOIN earlier p ON p.author_id = r.author_id AND p.created_at < r.created_at
      LEFT JOIN received x ON x.post_id = p.id
      GROUP BY r.id
    ),
    next AS (
      SELECT e.post_id, count(*)::int AS n
      FROM engagement_events e JOIN recent p ON p.id = e.post_id
      WHERE e.type IN ${ENGAGEMENT} AND e.occurred_at > ${asOf} AND e.occurred_at <= ${until}
        AND e.actor_id <> p.author_id
      GROUP BY e.post_id
    )
    SELECT r.id AS post_id, coalesce(n.n, 0) AS engagement,
           CASE WHEN d.posts > 0 THEN d.engagement / d.posts ELSE 0 END AS author_rate
    FROM recent r JOIN record d ON d.id = r.id LEFT JOIN next n ON n.post_id = r.id
    ORDER BY r.id COLLATE "C"`;
}

/** One user's engagement with one post (by others' posts only). */
export interface Engagement {
  readonly user_id: string;
  readonly post_id: string;
  /** Before asOf: the engagements weighted 0.5^(age / half-life); after it: their count. */
  readonly weight: number;
}

/**
 * The engagements of users eligible at asOf with others' posts in (asOf, until], per user and
 * post, and the same users' engagements in (asOf − historyDays, asOf], decayed to asOf; in
 * byte order of user and post, so sums run in the same order on every database.
 */
export async function engagementsAround(
  db: Database,
  point: EvalPoint,
  historyDays: number,
  halfLifeDays: number,
): Promise<{ before: Engagement[]; after: Engagement[] }> {
  const { asOf, until } = point;
  const historyFrom = new Date(asOf.getTime() - historyDays * DAY_MS);
  const after = await db.prisma.$queryRaw<Engagement[]>`
    SELECT e.actor_id AS user_id, e.post_id, count(*)::float8 AS weight
    FROM engagement_events e JOIN users u ON u.id = e.actor_id AND ${eligiblePerson("u", asOf)}
    WHERE e.type IN ${ENGAGEMENT} AND e.occurred_at > ${asOf} AND e.occurred_at <= ${until}
      AND e.post_id IS NOT NULL AND e.actor_id <> e.target_user_id
    GROUP BY e.actor_id, e.post_id
    ORDER BY e.actor_id COLLATE "C", e.post_id COLLATE "C"`;
  const users = [...new Set(after.map((row) => row.user_id))];
  const before = await db.prisma.$queryRaw<Engagement[]>`
    SELECT e.actor_id AS user_id, e.post_id,
           sum(power(0.5::float8,
             extract(epoch FROM ${asOf}::timestamp - e.occurred_at)::float8
               / ${halfLifeDays * 86_400}::float8)) AS weight
    FROM engagement_events e
    WHERE e.actor_id = ANY(${users}::text[]) AND e.type IN ${ENGAGEMENT}
      AND e.occurred_at > ${historyFrom} AND e.occurred_at <= ${asOf}
      AND e.post_id IS NOT NULL AND e.actor_id <> e.target_user_id
    GROUP BY e.actor_id, e.post_id
    ORDER BY e.actor_id COLLATE "C", e.post_id COLLATE "C"`;
  return { before, after };
}
