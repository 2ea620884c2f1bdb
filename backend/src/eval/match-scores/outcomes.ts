import type { Database } from "@feed-jobs/db";
import type { EvalPoint } from "../types.ts";

/**
 * What a match suggestion is judged by: whether the two users went on to match. A pair has
 * matched at the earlier of
 * - the time they had liked each other's profile both ways (the later of the two first profile
 *   likes: a like before T answered in the window completes in the window), and
 * - their first message, either way.
 * Profile likes are LIKE events with no post (a post's like targets its author, not a match).
 */

/** One key per unordered pair of users. */
export const pairKey = (a: string, b: string) => (a < b ? `${a}\n${b}` : `${b}\n${a}`);

/** When each pair first matched (ms since the epoch), for matches up to `until`, by {@link pairKey}. */
export async function firstMatches(db: Database, until: Date): Promise<Map<string, number>> {
  const rows = await db.prisma.$queryRaw<{ a: string; b: string; at: Date }[]>`
    WITH likes AS (
      SELECT actor_id, target_user_id, min(occurred_at) AS at
      FROM engagement_events
      WHERE type = 'LIKE' AND post_id IS NULL AND occurred_at <= ${until}
      GROUP BY actor_id, target_user_id
    )
    SELECT l.actor_id AS a, l.target_user_id AS b, greatest(l.at, back.at) AS at
    FROM likes l
    JOIN likes back ON back.actor_id = l.target_user_id AND back.target_user_id = l.actor_id
    WHERE l.actor_id < l.target_user_id
    UNION ALL
    SELECT sender_id, recipient_id, min(sent_at)
    FROM messages
    WHERE sent_at <= ${until} AND sender_id <> recipient_id
    GROUP BY sender_id, recipient_id`;
  const first = new Map<string, number>();
  for (const { a, b, at } of rows) {
    const key = pairKey(a, b);
    const known = first.get(key);
    if (known === undefined || at.getTime() < known) first.set(key, at.getTime());
  }
  return first;
}

/** The latest `until` of the points: the outcomes to read. */
export const lastUntil = (points: readonly EvalPoint[]) =>
  new Date(Math.max(...points.map((p) => p.until.getTime())));

/**
 * A pair's outcome at a point: "before" when it matched at or before the point (a pair already
 * talking is not a prediction: left out), "positive" when it first matched in (asOf, until],
 * else "negative".
 */
export type Outcome = "before" | "positive" | "negative";

export function outcomeAt(
  first: ReadonlyMap<string, number>,
  key: string,
  point: EvalPoint,
): Outcome {
  const at = first.get(key);
  if (at === undefined || at > point.until.getTime()) return "negative";
  return at <= point.asOf.getTime() ? "before" : "positive";
}

/** The pairs that first matched in the point's window (its positives), by key. */
export function positivesAt(first: ReadonlyMap<string, number>, point: EvalPoint): string[] {
  const keys: string[] = [];
  for (const key of first.keys()) if (outcomeAt(first, key, point) === "positive") keys.push(key);
  return keys;
}
