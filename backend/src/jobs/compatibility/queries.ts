import { eligiblePerson, Prisma, rebuildCopyOf } from "@feed-jobs/db";
import { topicsOf } from "../inputs.ts";
import { type RunInput, readRunInput, storeRunInput } from "../run-inputs.ts";
import { inRange, type RangedTable } from "../shards.ts";

/** The client or an interactive transaction: the read functions work with either. */
export type Sql = Pick<Prisma.TransactionClient, "$queryRaw" | "$executeRaw">;

/** The run's windows: lookback [from, now] inclusive; the trajectory's recent part is (recentFrom, now]. */
export interface ActivityWindow {
  readonly from: Date;
  readonly recentFrom: Date;
  readonly now: Date;
  /** Half-life of a message in the decayed message count (compatibility-v2's input). */
  readonly messageHalfLifeDays: number;
}

/** Top suggestions: a viewer's best `limit` MatchScores at or above `minScore`. */
export interface SuggestionScope {
  readonly minScore: number;
  readonly limit: number;
}

/** Eligible users (or just `userId`, if eligible), the job's viewers. */
export async function countViewers(db: Sql, now: Date, userId: string | null): Promise<number> {
  const [row] = await db.$queryRaw<{ viewers: number }[]>`
    SELECT count(*)::int AS viewers FROM users u
    WHERE ${eligiblePerson("u", now)} AND (${userId}::text IS NULL OR u.id = ${userId})`;
  return row?.viewers ?? 0;
}

/** Which viewers a page may hold: one user (`userId`), or those through `throughId` (null: all). */
export interface ViewerPaging {
  readonly now: Date;
  readonly userId: string | null;
  readonly throughId: string | null;
}

/** The next `limit` viewers after `after` in id order (keyset pagination on the primary key). */
export async function nextViewers(
  db: Sql,
  paging: ViewerPaging,
  after: string,
  limit: number,
): Promise<string[]> {
  const { now, userId, throughId } = paging;
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT u.id FROM users u
    WHERE u.id > ${after} AND ${inRange("u.id", { afterId: null, throughId })}
      AND ${eligiblePerson("u", now)} AND (${userId}::text IS NULL OR u.id = ${userId})
    ORDER BY u.id LIMIT ${limit}`;
  return rows.map((r) => r.id);
}

/**
 * Incremental runs: eligible viewers with anything new in (since, now] that their rows read —
 * a message sent or received, an action taken or received, new MatchScore suggestions — in
 * id order. By the messages(sent_at), engagement_events(occurred_at) and
 * match_score_viewers(computed_at) indexes: nothing is scanned when nothing happened.
 */
export async function viewersWithNewActivity(db: Sql, since: Date, now: Date): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    WITH m AS (SELECT sender_id, recipient_id FROM messages WHERE sent_at > ${since} AND sent_at <= ${now}),
         e AS (SELECT actor_id, target_user_id FROM engagement_events
               WHERE occurred_at > ${since} AND occurred_at <= ${now})
    SELECT u.id FROM users u
    WHERE ${eligiblePerson("u", now)} AND u.id IN (
      SELECT sender_id FROM m UNION SELECT recipient_id FROM m
      UNION SELECT actor_id FROM e UNION SELECT target_user_id FROM e
      UNION SELECT viewer_user_id FROM match_score_viewers
            WHERE computed_at > ${since} AND computed_at <= ${now})
    ORDER BY u.id`;
  return rows.map((r) => r.id);
}

/**
 * The output table, for the cleanup of rows whose viewer or target is not eligible: a person
 * who stops being eligible leaves every list at the next run (jobs/eligibility.ts).
 */
export const COMPATIBILITY = {
  table: "user_compatibility",
  personColumns: ["viewer_user_id", "target_user_id"],
} as const;

/** The output table as full runs rebuild it: shards by viewer. */
export const COMPATIBILITY_BY_VIEWER: RangedTable = {
  table: COMPATIBILITY.table,
  key: "viewer_user_id",
};

export interface TopicRow {
  user_id: string;
  topic: string;
  engagements: number;
}

/** Topic profile rows, and how many input rows producing them took. */
export interface TopicRows {
  readonly rows: TopicRow[];
  readonly rowsRead: number;
}

/**
 * Each of the users `userIds` (or every user) with their strongest
 * `topicsPerUser` topics: how many of their likes, comments and shares in the window went to
 * posts of that topic (PostFeatures.topics; a post without features adds nothing). Ties break
 * on the topic's bytes so both databases keep the same topics. `rows_read`: the (engagement,
 * topic) rows aggregated, the same on every row. A batch of users' actions comes from the
 * actor-action index alone (migration 20261203090000).
 */
function rankedTopics(
  userIds: readonly string[] | "all",
  w: ActivityWindow,
  topicsPerUser: number,
): Prisma.Sql {
  const actors =
    userIds === "all" ? Prisma.sql`true` : Prisma.sql`e.actor_id = ANY(${[...userIds]}::text[])`;
  return Prisma.sql`
    SELECT user_id, topic, engagements, rows_read FROM (
      SELECT e.actor_id AS user_id, t.topic, count(*)::int AS engagements,
             (sum(count(*)) OVER ())::int AS rows_read,
             row_number() OVER (PARTITION BY e.actor_id ORDER BY count(*) DESC, t.topic COLLATE "C") AS rank
      FROM engagement_events e
      JOIN post_features pf ON pf.post_id = e.post_id
      CROSS JOIN LATERAL (SELECT DISTINCT unnest(${topicsOf("pf")}) AS topic) t
      WHERE ${actors} AND e.type IN ('LIKE', 'COMMENT', 'SHARE')
        AND e.occurred_at >= ${w.from} AND e.occurred_at <= ${w.now}
      GROUP BY e.actor_id, t.topic
    ) ranked
    WHERE rank <= ${topicsPerUser}`;
}

/** The topic profiles of `userIds`, aggregated from their engagements. */
export async function aggregateTopicProfiles(
  db: Sql,
  userIds: readonly string[],
  w: ActivityWindow,
  topicsPerUser: number,
): Promise<TopicRows> {
  const rows = await db.$queryRaw<(TopicRow & { rows_read: number })[]>`
    ${rankedTopics(userIds, w, topicsPerUser)}`;
  return {
    rows: rows.map(({ user_id, topic, engagements }) => ({ user_id, topic, engagements })),
    rowsRead: rows[0]?.rows_read ?? 0,
  };
}

/** A full run's topic profiles, aggregated once and read by its shards. */
const TOPIC_PROFILES: RunInput = {
  table: "compatibility_topic_profiles",
  key: "user_id",
  columns: ["user_id", "topic", "engagements"],
};

/**
 * A full run's first step: every user's topic profile, into compatibility_topic_profiles, for
 * the run's shards to read. Returns the (engagement, topic) rows aggregated.
 */
export function storeTopicProfiles(db: Sql, w: ActivityWindow, topicsPerUser: number) {
  const rows = rankedTopics("all", w, topicsPerUser);
  return storeRunInput(db, TOPIC_PROFILES, rows, Prisma.sql`max(rows_read)`);
}

/** The stored topic profiles of `userIds` (storeTopicProfiles). */
export const readStoredTopicProfiles = (db: Sql, userIds: readonly string[]): Promise<TopicRows> =>
  readRunInput<TopicRow>(db, TOPIC_PROFILES, userIds);

/** One output row. */
export interface CompatibilityRow {
  readonly viewerId: string;
  readonly targetId: string;
  readonly score: number;
  /** The explanation, a JSON value. */
  readonly factors: unknown;
}

/**
 * The rows as one relation (viewer_id, target_id, score, factors), sent as one JSON document:
 * cheaper than unnest over text arrays on the embedded database, where escaping and parsing
 * thousands of factors dominated the write.
 */
function incomingRows(rows: readonly CompatibilityRow[]): Prisma.Sql {
  const json = JSON.stringify(
    rows.map((r) => ({
      viewer_id: r.viewerId,
      target_id: r.targetId,
      score: r.score,
      factors: r.factors,
    })),
  );
  return Prisma.sql`SELECT * FROM jsonb_to_recordset(${json}::jsonb)
    AS r(viewer_id text, target_id text, score float8, factors jsonb)`;
}

/**
 * Makes `viewers`' rows exactly `rows`, in one statement (so atomically): out-of-scope rows of
 * these viewers are deleted, the rest upserted; a row whose score, factors and version did not
 * change is left alone (its computed_at stays the time those values were first computed).
 */
export async function replaceViewerRows(
  db: Sql,
  viewers: readonly string[],
  rows: readonly CompatibilityRow[],
  now: Date,
  algorithmVersion: string,
): Promise<{ removed: number; upserted: number }> {
  const [counts] = await db.$queryRaw<{ removed: number; upserted: number }[]>`
    WITH incoming AS (${incomingRows(rows)}),
    removed AS (
      DELETE FROM user_compatibility uc
      WHERE uc.viewer_user_id = ANY(${[...viewers]}::text[])
        AND NOT EXISTS (
          SELECT 1 FROM incoming k WHERE k.viewer_id = uc.viewer_user_id AND k.target_id = uc.target_user_id)
      RETURNING 1
    ),
    upserted AS (
      INSERT INTO user_compatibility AS uc
        (viewer_user_id, target_user_id, score, factors, computed_at, algorithm_version)
      SELECT viewer_id, target_id, score, factors, ${now}, ${algorithmVersion} FROM incoming
      ON CONFLICT (viewer_user_id, target_user_id) DO UPDATE
        SET score = EXCLUDED.score, factors = EXCLUDED.factors,
            computed_at = EXCLUDED.computed_at, algorithm_version = EXCLUDED.algorithm_version
        WHERE (uc.score, uc.factors, uc.algorithm_version)
              IS DISTINCT FROM (EXCLUDED.score, EXCLUDED.factors, EXCLUDED.algorithm_version)
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM removed)::int AS removed, (SELECT count(*) FROM upserted)::int AS upserted`;
  return counts ?? { removed: 0, upserted: 0 };
}

/**
 * A full run's write of `viewers`' rows into the rebuild copy. Counts what the in-place write
 * would have changed, against the table being replaced: rows new or of other values (upserted)
 * and the viewers' rows not among `rows` (removed); a row whose score, factors and version did
 * not change keeps its computed_at, as in place.
 */
export async function addViewerRowsToRebuild(
  db: Sql,
  viewers: readonly string[],
  rows: readonly CompatibilityRow[],
  now: Date,
  algorithmVersion: string,
): Promise<{ removed: number; upserted: number }> {
  const [counts] = await db.$queryRaw<{ removed: number; upserted: number }[]>`
    WITH incoming AS (${incomingRows(rows)}),
    stored AS (
      SELECT uc.* FROM user_compatibility uc WHERE uc.viewer_user_id = ANY(${[...viewers]}::text[])
    ),
    compared AS (
      SELECT k.*, uc.computed_at AS kept_at,
             (uc.viewer_user_id IS NULL OR (uc.score, uc.factors, uc.algorithm_version)
               IS DISTINCT FROM (k.score, k.factors, ${algorithmVersion}::text)) AS changed
      FROM incoming k
      LEFT JOIN stored uc ON uc.viewer_user_id = k.viewer_id AND uc.target_user_id = k.target_id
    ),
    inserted AS (
      INSERT INTO ${Prisma.raw(rebuildCopyOf(COMPATIBILITY.table))}
        (viewer_user_id, target_user_id, score, factors, computed_at, algorithm_version)
      SELECT viewer_id, target_id, score, factors,
             CASE WHEN changed THEN ${now} ELSE kept_at END, ${algorithmVersion}
      FROM compared
    )
    SELECT (SELECT count(*) FROM stored uc WHERE NOT EXISTS (
              SELECT 1 FROM incoming k
              WHERE k.viewer_id = uc.viewer_user_id AND k.target_id = uc.target_user_id))::int AS removed,
           (SELECT count(*) FROM compared WHERE changed)::int AS upserted`;
  return counts ?? { removed: 0, upserted: 0 };
}
