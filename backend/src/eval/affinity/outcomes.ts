import { eligiblePerson, type Prisma } from "@feed-jobs/db";
import { topicsOf } from "../../jobs/inputs.ts";
import type { EvalPoint } from "../types.ts";

type Sql = Pick<Prisma.TransactionClient, "$queryRaw">;

/** What one user engaged with after a point: the creators and the topics of the posts. */
export interface Engaged {
  readonly creators: ReadonlySet<string>;
  readonly topics: ReadonlySet<string>;
}

/**
 * Each user's likes, comments and shares of others' posts in (asOf, until]: the posts' authors
 * and post_features topics. Only users who existed and were eligible at asOf (the people the
 * job could have profiled then).
 */
export async function readOutcomes(db: Sql, point: EvalPoint): Promise<Map<string, Engaged>> {
  const rows = await db.$queryRaw<{ user_id: string; creators: string[]; topics: string[] }[]>`
    WITH engaged AS MATERIALIZED (
      SELECT DISTINCT e.actor_id, e.target_user_id, e.post_id
      FROM engagement_events e JOIN users u ON u.id = e.actor_id
      WHERE e.occurred_at > ${point.asOf}::timestamp AND e.occurred_at <= ${point.until}::timestamp
        AND e.type IN ('LIKE', 'COMMENT', 'SHARE') AND e.post_id IS NOT NULL
        AND e.actor_id <> e.target_user_id
        AND u.created_at <= ${point.asOf}::timestamp AND ${eligiblePerson("u", point.asOf)}
    ), creators AS (
      SELECT actor_id, array_agg(DISTINCT target_user_id) AS creators FROM engaged GROUP BY actor_id
    ), topics AS (
      SELECT g.actor_id, array_agg(DISTINCT t.topic) AS topics
      FROM engaged g JOIN post_features f ON f.post_id = g.post_id
      CROSS JOIN LATERAL unnest(${topicsOf("f")}) AS t(topic)
      GROUP BY g.actor_id
    )
    SELECT c.actor_id AS user_id, c.creators, coalesce(t.topics, ARRAY[]::text[]) AS topics
    FROM creators c LEFT JOIN topics t ON t.actor_id = c.actor_id`;
  return new Map(
    rows.map((r) => [r.user_id, { creators: new Set(r.creators), topics: new Set(r.topics) }]),
  );
}
