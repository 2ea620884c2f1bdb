import { Prisma } from "@feed-jobs/db";
import type { Sql } from "./queries.ts";
import { type Clock, distanceKmSql, eligible, placeable } from "./sql.ts";

/** Repository functions that pick the viewers an incremental run recomputes. */

export interface Staleness {
  readonly algorithmVersion: string;
  /** Lists computed before this are expired (the TTL). */
  readonly expiredBefore: Date;
  /** A move counts from this distance on (50 miles). */
  readonly moveKm: number;
  readonly inactiveAfterDays: number;
}

export type StaleReason = "new" | "algorithm_changed" | "expired" | "inputs_changed" | "moved";

/** `alias`'s latest discovery-input change: profile, quiz, preferences (p) or answers (q). */
const inputsChangedAt = (u: string) =>
  Prisma.raw(`greatest(${u}.profile_updated_at, ${u}.quiz_updated_at, p.updated_at, q.updated_at)`);

/**
 * Whether user `u` is now more than `km` from where bookkeeping row `b` placed them. A place
 * that is not one (see `placeable`) counts as none: the distance is never taken of it.
 */
const movedFrom = (b: string, u: string, km: number) => {
  const at = (a: string, c: string) =>
    Prisma.sql`CASE WHEN ${placeable(a)} THEN ${Prisma.raw(`${a}.${c}`)} END`;
  const distance = distanceKmSql(
    at(b, "latitude"),
    at(b, "longitude"),
    at(u, "latitude"),
    at(u, "longitude"),
  );
  return Prisma.sql`((${at(b, "latitude")} IS NULL) <> (${at(u, "latitude")} IS NULL) OR ${distance} > ${km})`;
};

/**
 * Eligible viewers whose own list is missing, from another algorithm version, older than the
 * TTL, older than a change of their profile, quiz or preferences, or left behind by a move.
 */
export async function staleViewers(db: Sql, clock: Clock, s: Staleness) {
  return db.$queryRaw<{ id: string; reason: StaleReason }[]>`
    SELECT id, reason FROM (
      SELECT u.id, CASE
        WHEN b.viewer_user_id IS NULL THEN 'new'
        WHEN b.algorithm_version <> ${s.algorithmVersion} THEN 'algorithm_changed'
        WHEN b.computed_at < ${s.expiredBefore} THEN 'expired'
        WHEN ${inputsChangedAt("u")} > b.computed_at THEN 'inputs_changed'
        WHEN u.location_updated_at > b.computed_at AND ${movedFrom("b", "u", s.moveKm)} THEN 'moved'
      END AS reason
      FROM users u
      LEFT JOIN match_score_viewers b ON b.viewer_user_id = u.id
      LEFT JOIN match_preferences p ON p.user_id = u.id
      LEFT JOIN quiz_responses q ON q.user_id = u.id
      WHERE ${eligible("u", clock)}
    ) viewers
    WHERE reason IS NOT NULL`;
}

/**
 * Viewers holding a candidate who changed after the viewer's list was computed: new inputs, a
 * move beyond `moveKm` from where the candidate's own list was computed (any move when they
 * have none), deletion, deactivation, or becoming inactive. Two steps so that the second
 * looks up only the few changed candidates in match_scores(candidate_user_id).
 */
export async function viewersHoldingChangedCandidates(db: Sql, clock: Clock, s: Staleness) {
  const inactiveFrom = Prisma.sql`u.last_active_at + make_interval(days => ${s.inactiveAfterDays})`;
  const changed = await db.$queryRaw<{ id: string; changed_at: Date }[]>`
    SELECT id, changed_at FROM (
      SELECT u.id, greatest(
        ${inputsChangedAt("u")},
        CASE WHEN u.deleted_at <= ${clock.now} THEN u.deleted_at END,
        CASE WHEN u.deactivated_at <= ${clock.now} THEN u.deactivated_at END,
        CASE WHEN ${inactiveFrom} <= ${clock.now} THEN ${inactiveFrom} END,
        CASE WHEN cb.viewer_user_id IS NULL OR ${movedFrom("cb", "u", s.moveKm)}
             THEN u.location_updated_at END) AS changed_at
      FROM users u
      LEFT JOIN match_preferences p ON p.user_id = u.id
      LEFT JOIN quiz_responses q ON q.user_id = u.id
      LEFT JOIN match_score_viewers cb ON cb.viewer_user_id = u.id
    ) candidates
    WHERE changed_at > (SELECT min(computed_at) FROM match_score_viewers)`;
  if (changed.length === 0) return { changedCandidates: 0, viewerIds: [] as string[] };
  const holders = await db.$queryRaw<{ id: string }[]>`
    SELECT DISTINCT ms.viewer_user_id AS id
    FROM unnest(${changed.map((c) => c.id)}::text[], ${changed.map((c) => c.changed_at)}::timestamp[])
      AS c(id, changed_at)
    JOIN match_scores ms ON ms.candidate_user_id = c.id
    JOIN match_score_viewers b ON b.viewer_user_id = ms.viewer_user_id
    WHERE c.changed_at > b.computed_at`;
  return { changedCandidates: changed.length, viewerIds: holders.map((h) => h.id) };
}

/**
 * Viewers with a block or report (either way) involving a listed candidate, or a profile hide of
 * one, after their list was computed. Only events since the oldest list are read.
 */
export async function viewersWithNewNegativeSignals(db: Sql, clock: Clock) {
  const rows = await db.$queryRaw<{ id: string }[]>`
    WITH recent AS MATERIALIZED (
      SELECT e.actor_id, e.target_user_id, e.type, e.occurred_at FROM engagement_events e
      WHERE e.type IN ('HIDE', 'BLOCK', 'REPORT') AND (e.type <> 'HIDE' OR e.post_id IS NULL)
        AND e.occurred_at <= ${clock.now}
        AND e.occurred_at > (SELECT min(computed_at) FROM match_score_viewers)
    ), pairs AS (
      SELECT actor_id AS viewer, target_user_id AS candidate, occurred_at FROM recent
      UNION ALL
      SELECT target_user_id, actor_id, occurred_at FROM recent WHERE type <> 'HIDE'
    )
    SELECT DISTINCT b.viewer_user_id AS id
    FROM pairs
    JOIN match_score_viewers b ON b.viewer_user_id = pairs.viewer AND pairs.occurred_at > b.computed_at
    JOIN match_scores ms ON ms.viewer_user_id = pairs.viewer AND ms.candidate_user_id = pairs.candidate`;
  return rows.map((r) => r.id);
}
