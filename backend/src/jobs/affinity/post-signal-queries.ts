import { Prisma } from "@feed-jobs/db";
import type { SignalWeights } from "@feed-jobs/scoring/affinity";
import { topicsOf } from "../inputs.ts";
import { type LookbackWindow, recencyDecay, type Sql, typeWeight } from "./sql.ts";

/** affinity-v2's per-batch reads: each user's own posts, and the posts' topics and tags. */

/** One row per batch user with an own post in the window or engagement on one; arrays by post. */
export interface OwnPostRow {
  user_id: string;
  post_ids: string[];
  /** decay ^ the post's age when the user wrote it in the window, else 0. */
  authored: number[];
  /** Decayed, type-weighted likes, comments and shares others gave the post in the window. */
  received: number[];
  /** Posts the user wrote in the window. */
  own_posts: number;
  /** Events read. */
  events: number;
}

/**
 * The batch users' posts written in the window and not deleted (posts(author_id, created_at)),
 * and others' actions on their posts in the window (engagement_events(target_user_id,
 * occurred_at)), summed per (user, post). Their engagement with others' posts comes with
 * their signals (`aggregateSignals` with `withPosts`).
 */
export async function loadOwnPosts(
  db: Sql,
  ids: readonly string[],
  window: LookbackWindow,
  weights: SignalWeights,
  decayPerDay: number,
): Promise<OwnPostRow[]> {
  const inWindow = (column: string) =>
    Prisma.sql`${Prisma.raw(column)} > ${window.start}::timestamp AND ${Prisma.raw(column)} <= ${window.now}::timestamp`;
  const live = Prisma.sql`(p.deleted_at IS NULL OR p.deleted_at > ${window.now}::timestamp)`;
  return db.$queryRaw<OwnPostRow[]>`
    WITH authored AS (
      SELECT p.author_id AS user_id, p.id AS post_id,
             ${recencyDecay("p.created_at", window, decayPerDay)} AS authored,
             0::float8 AS received, 1 AS events
      FROM posts p
      WHERE p.author_id = ANY(${ids}::text[]) AND ${inWindow("p.created_at")} AND ${live}
    ), received AS (
      SELECT e.target_user_id AS user_id, e.post_id, 0::float8 AS authored,
             sum(${typeWeight("e", weights)} * ${recencyDecay("e.occurred_at", window, decayPerDay)}) AS received,
             count(*)::int AS events
      FROM engagement_events e JOIN posts p ON p.id = e.post_id AND p.author_id = e.target_user_id
      WHERE e.target_user_id = ANY(${ids}::text[]) AND ${inWindow("e.occurred_at")}
        AND e.actor_id <> e.target_user_id AND e.type IN ('LIKE', 'COMMENT', 'SHARE') AND ${live}
      GROUP BY e.target_user_id, e.post_id
    ), per_post AS (
      SELECT user_id, post_id, sum(authored) AS authored, sum(received) AS received,
             sum(events) AS events
      FROM (SELECT * FROM authored UNION ALL SELECT * FROM received) r
      GROUP BY user_id, post_id
    )
    SELECT user_id, array_agg(post_id) AS post_ids, array_agg(authored) AS authored,
           array_agg(received) AS received, (count(*) FILTER (WHERE authored > 0))::int AS own_posts,
           sum(events)::int AS events
    FROM per_post GROUP BY user_id`;
}

export interface PostTopicRow {
  post_id: string;
  tags: string[];
  /** post_features topics; empty for a post without a features row. */
  topics: string[];
}

/** Topics and tags of posts, by id (posts' primary key). */
export async function loadPostTopics(db: Sql, postIds: readonly string[]) {
  return db.$queryRaw<PostTopicRow[]>`
    SELECT p.id AS post_id, coalesce(array_remove(p.tags, NULL), ARRAY[]::text[]) AS tags,
           ${topicsOf("f")} AS topics
    FROM posts p LEFT JOIN post_features f ON f.post_id = p.id
    WHERE p.id = ANY(${postIds}::text[])`;
}
