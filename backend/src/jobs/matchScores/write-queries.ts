import { type CopyTarget, type Database, Prisma, rebuildCopyOf } from "@feed-jobs/db";
import type { Sql } from "./queries.ts";
import { type Clock, eligible } from "./sql.ts";

/** One viewer's new top-K list, replacing whatever they had. */
export interface ViewerList {
  readonly viewerId: string;
  /** Where the viewer was (the 50-mile rule of the next incremental run compares with it). */
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly candidates: readonly { id: string; score: number; reasons: readonly string[] }[];
}

export interface Stamp {
  readonly computedAt: Date;
  readonly algorithmVersion: string;
}

/** The tables a run writes, which a full run rebuilds (see `startRebuild`). */
export const MATCH_TABLES = ["match_scores", "match_score_viewers"] as const;

/**
 * Inserts the lists' rows into match_scores in one statement. One JSON document per batch:
 * cheaper to bind and parse than one array per column. Rows whose viewer or candidate no
 * longer exists are dropped by a join.
 */
async function insertScores(tx: Sql, lists: readonly ViewerList[], stamp: Stamp) {
  const rows = lists.flatMap((l) =>
    l.candidates.map((c) => ({ v: l.viewerId, c: c.id, s: c.score, r: c.reasons })),
  );
  return tx.$executeRaw`
    INSERT INTO match_scores
      (viewer_user_id, candidate_user_id, score, reasons, computed_at, algorithm_version)
    SELECT t.v, t.c, t.s, t.r, ${stamp.computedAt}, ${stamp.algorithmVersion}
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS t(v text, c text, s float8, r jsonb)
    JOIN users viewer ON viewer.id = t.v JOIN users candidate ON candidate.id = t.c`;
}

/** The scores copy of a rebuild, filled with COPY: the heaviest write of a full run. */
const SCORES_COPY: CopyTarget = {
  table: rebuildCopyOf("match_scores"),
  columns: [
    "viewer_user_id",
    "candidate_user_id",
    "score",
    "reasons",
    "computed_at",
    "algorithm_version",
  ],
};

/** The lists' rows for {@link SCORES_COPY}, in its columns' order. */
const scoreRows = (lists: readonly ViewerList[], stamp: Stamp) =>
  lists.flatMap((l) =>
    l.candidates.map((c) => [
      l.viewerId,
      c.id,
      c.score,
      JSON.stringify(c.reasons),
      stamp.computedAt,
      stamp.algorithmVersion,
    ]),
  );

/** Writes the viewers' bookkeeping rows into `table`, replacing theirs when `checkUsers`. */
async function upsertViewers(
  tx: Sql,
  table: string,
  lists: readonly ViewerList[],
  stamp: Stamp,
  checkUsers: boolean,
) {
  const join = checkUsers ? Prisma.sql`JOIN users viewer ON viewer.id = t.viewer` : Prisma.empty;
  return tx.$executeRaw`
    INSERT INTO ${Prisma.raw(table)}
      (viewer_user_id, computed_at, latitude, longitude, algorithm_version, candidate_count)
    SELECT t.viewer, ${stamp.computedAt}, t.lat, t.lon, ${stamp.algorithmVersion}, t.n
    FROM unnest(${lists.map((l) => l.viewerId)}::text[], ${lists.map((l) => l.latitude)}::float8[],
                ${lists.map((l) => l.longitude)}::float8[],
                ${lists.map((l) => l.candidates.length)}::int[]) AS t(viewer, lat, lon, n)
    ${join}
    ON CONFLICT (viewer_user_id) DO UPDATE SET
      computed_at = EXCLUDED.computed_at, latitude = EXCLUDED.latitude,
      longitude = EXCLUDED.longitude, algorithm_version = EXCLUDED.algorithm_version,
      candidate_count = EXCLUDED.candidate_count`;
}

/**
 * Replaces the lists of a batch of viewers, set-based: one DELETE of their old rows, one
 * INSERT … SELECT of the new ones, one upsert of their bookkeeping. Run it in one
 * transaction: a viewer then has either the old or the new list, never a mix. Rows whose
 * viewer or candidate no longer exists are dropped by the join with users.
 *
 * `singleConnection` (the embedded database: one connection, one process) skips the per-row
 * foreign-key triggers for this transaction: the join already checks both references, and
 * with one connection nothing can delete a user between the join and the commit. The
 * triggers were 60% of the write time there; a server keeps them (they guard against
 * concurrent deletes and cost little natively).
 */
export async function replaceLists(
  tx: Sql,
  lists: readonly ViewerList[],
  stamp: Stamp,
  singleConnection: boolean,
) {
  if (singleConnection) {
    await tx.$executeRaw`SELECT set_config('session_replication_role', 'replica', true)`;
  }
  const deleted = await tx.$executeRaw`
    DELETE FROM match_scores WHERE viewer_user_id = ANY(${lists.map((l) => l.viewerId)}::text[])`;
  const inserted = await insertScores(tx, lists, stamp);
  const viewers = await upsertViewers(tx, "match_score_viewers", lists, stamp, true);
  return { deleted, inserted, viewers };
}

/**
 * Adds a batch's lists to the copies a full run rebuilds (no transaction needed: unseen; rows of
 * users deleted meanwhile are dropped once, set-based, when the copies are swapped in).
 */
export async function addToRebuild(db: Database, lists: readonly ViewerList[], stamp: Stamp) {
  const inserted = await db.copyRows(SCORES_COPY, scoreRows(lists, stamp));
  const viewers = await upsertViewers(
    db.prisma,
    rebuildCopyOf("match_score_viewers"),
    lists,
    stamp,
    false,
  );
  return { deleted: 0, inserted, viewers };
}

/**
 * Removes the viewers' rows from the copies (what an earlier attempt of their shard wrote
 * there), so that the shard can write them again. Returns the rows deleted.
 */
export async function clearFromRebuild(db: Sql, viewerIds: readonly string[]) {
  let deleted = 0;
  for (const table of MATCH_TABLES) {
    deleted += await db.$executeRaw`
      DELETE FROM ${Prisma.raw(rebuildCopyOf(table))}
      WHERE viewer_user_id = ANY(${viewerIds}::text[])`;
  }
  return deleted;
}

/**
 * The filled copies' lists that are not whole: a viewer whose bookkeeping row's
 * `candidate_count` differs from their rows in the scores copy, or who has rows there but no
 * bookkeeping row (a shard's write torn or doubled). Counts them, with the copy's viewers.
 */
export async function rebuiltListsCheck(db: Sql) {
  const [row] = await db.$queryRaw<{ viewers: number; torn: number }[]>`
    SELECT count(b.viewer_user_id)::int AS viewers,
           count(*) FILTER (WHERE b.candidate_count IS DISTINCT FROM coalesce(s.n, 0))::int AS torn
    FROM ${Prisma.raw(rebuildCopyOf("match_score_viewers"))} b
    FULL JOIN (SELECT viewer_user_id, count(*)::int AS n
               FROM ${Prisma.raw(rebuildCopyOf("match_scores"))} GROUP BY viewer_user_id) s
      ON s.viewer_user_id = b.viewer_user_id`;
  return { viewers: row?.viewers ?? 0, torn: row?.torn ?? 0 };
}

/**
 * Removes the lists and bookkeeping of viewers who are no longer eligible (deleted,
 * deactivated, inactive): they must not keep a stale list. Returns the rows deleted.
 */
export async function retireIneligibleViewers(db: Sql, clock: Clock, userId?: string) {
  const only = userId === undefined ? Prisma.empty : Prisma.sql`AND b.viewer_user_id = ${userId}`;
  const retired = Prisma.sql`SELECT b.viewer_user_id FROM match_score_viewers b
    JOIN users u ON u.id = b.viewer_user_id WHERE ${eligible("u", clock)} IS NOT TRUE ${only}`;
  const scores = await db.$executeRaw`
    DELETE FROM match_scores WHERE viewer_user_id IN (${retired})`;
  const viewers = await db.$executeRaw`
    DELETE FROM match_score_viewers WHERE viewer_user_id IN (${retired})`;
  return { viewers, rows: scores + viewers };
}
