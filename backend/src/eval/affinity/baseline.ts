import type { Prisma } from "@feed-jobs/db";
import { topicKey } from "@feed-jobs/scoring/content";
import type { EvalPoint } from "../types.ts";
import { K, type Ranking } from "./recall.ts";

type Sql = Pick<Prisma.TransactionClient, "$queryRaw">;

/** The reference design (issue 15): 5 % less weight per day of age, over 90 days. */
export const BASELINE_DECAY = 0.95;
export const BASELINE_LOOKBACK_DAYS = 90;
const DAY_MS = 86_400_000;

interface CountRow {
  kind: "creator" | "tag";
  user_id: string;
  /** A creator's id, or a tag as the author typed it. */
  key: string;
  weight: number;
}

/**
 * "Decayed frequency": each user's creators and post tags ranked by a decayed count of the
 * user's likes, comments and shares of others' posts before asOf (0.95 per day, 90 days).
 * Tags are normalised as content-features normalises topics, so "#Hiking" counts for "hike".
 */
export async function decayedFrequency(
  db: Sql,
  point: EvalPoint,
  userIds: readonly string[],
): Promise<Map<string, Ranking>> {
  const from = new Date(point.asOf.getTime() - BASELINE_LOOKBACK_DAYS * DAY_MS);
  const rows = await db.$queryRaw<CountRow[]>`
    WITH actions AS MATERIALIZED (
      SELECT e.actor_id, e.target_user_id, e.post_id,
             power(${BASELINE_DECAY}::float8,
                   extract(epoch FROM ${point.asOf}::timestamp - e.occurred_at)::float8 / 86400) AS weight
      FROM engagement_events e
      WHERE e.actor_id = ANY(${userIds}::text[])
        AND e.occurred_at > ${from}::timestamp AND e.occurred_at <= ${point.asOf}::timestamp
        AND e.type IN ('LIKE', 'COMMENT', 'SHARE') AND e.post_id IS NOT NULL
        AND e.actor_id <> e.target_user_id
    )
    SELECT 'creator' AS kind, actor_id AS user_id, target_user_id AS key, sum(weight) AS weight
    FROM actions GROUP BY actor_id, target_user_id
    UNION ALL
    SELECT 'tag', a.actor_id, t.tag, sum(a.weight)
    FROM actions a JOIN posts p ON p.id = a.post_id CROSS JOIN LATERAL unnest(p.tags) AS t(tag)
    WHERE t.tag IS NOT NULL GROUP BY a.actor_id, t.tag`;
  const creatorsOf = rankByUser(
    rows.filter((r) => r.kind === "creator"),
    (key) => key,
  );
  const topicsOf = rankByUser(
    rows.filter((r) => r.kind === "tag"),
    topicKey,
  );
  const rankings = new Map<string, Ranking>();
  for (const userId of new Set([...creatorsOf.keys(), ...topicsOf.keys()])) {
    rankings.set(userId, {
      creators: creatorsOf.get(userId) ?? [],
      topics: topicsOf.get(userId) ?? [],
    });
  }
  return rankings;
}

/** Per user, the top K keys (after `normalise`, summing keys that normalise alike), ties by key. */
function rankByUser(rows: readonly CountRow[], normalise: (key: string) => string | null) {
  const totals = new Map<string, Map<string, number>>();
  const ordered = [...rows].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const row of ordered) {
    const key = normalise(row.key);
    if (key === null) continue;
    const ofUser = totals.get(row.user_id) ?? new Map<string, number>();
    ofUser.set(key, (ofUser.get(key) ?? 0) + row.weight);
    totals.set(row.user_id, ofUser);
  }
  const ranked = new Map<string, string[]>();
  for (const [userId, weights] of totals) {
    const top = [...weights]
      .sort(([a, wa], [b, wb]) => wb - wa || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, K)
      .map(([key]) => key);
    ranked.set(userId, top);
  }
  return ranked;
}
