import { ineligibleReason, Prisma } from "@feed-jobs/db";
import {
  ageOf,
  type Clock,
  candidateFilters,
  candidateKm,
  eligible,
  placeable,
  preferencesOf,
  quizDistance,
  unscorableReason,
  usableQuiz,
  viewerWindow,
  withoutNulls,
} from "./sql.ts";
import type { Narrowing } from "./versions.ts";

/** Repository functions of match-scores: the only code that talks to the database. */

/** The client or an interactive transaction: repository functions work with either. */
export type Sql = Pick<Prisma.TransactionClient, "$queryRaw" | "$executeRaw">;

/**
 * Eligible viewers (all, or just `userId`) in place order: whom they seek, their gender, then
 * latitude (unknown last), then id; those who cannot be placed last. Neighbours in this order
 * seek the same people in the same place: a full run's shards are runs of it.
 */
export async function eligibleViewerIds(db: Sql, clock: Clock, userId?: string): Promise<string[]> {
  const only = userId === undefined ? Prisma.empty : Prisma.sql`AND u.id = ${userId}`;
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT u.id FROM users u WHERE ${eligible("u", clock)} ${only}
    ORDER BY NOT ${placeable("u")}, ${withoutNulls(Prisma.sql`u.genders_sought::text[]`)},
      u.gender, u.latitude NULLS LAST, u.id`;
  return rows.map((r) => r.id);
}

/**
 * Every eligible user who can be placed (the population a candidate may come from), or those
 * of them `among` picks (a condition on `u`), by id in place order: gender, then latitude
 * (unknown last), then id.
 */
export async function eligibleIdsInPlaceOrder(
  db: Sql,
  clock: Clock,
  among = Prisma.sql`true`,
): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT u.id FROM users u WHERE ${eligible("u", clock)} AND ${placeable("u")} AND ${among}
    ORDER BY u.gender, u.latitude NULLS LAST, u.id`;
  return rows.map((r) => r.id);
}

/** What the reach of a viewer depends on, as the candidate filters see it. */
export interface ReachRow {
  gender: string;
  genders_sought: string[];
  latitude: number | null;
  longitude: number | null;
  max_km: number;
}

/** The reach inputs of those of `viewerIds` who are eligible and can be placed. */
export async function reachRows(
  db: Sql,
  viewerIds: readonly string[],
  clock: Clock,
): Promise<ReachRow[]> {
  return db.$queryRaw<ReachRow[]>`
    SELECT u.gender::text AS gender,
           ${withoutNulls(Prisma.sql`u.genders_sought::text[]`)} AS genders_sought,
           u.latitude, u.longitude, ${preferencesOf("p").maxKm} AS max_km
    FROM users u LEFT JOIN match_preferences p ON p.user_id = u.id
    WHERE u.id = ANY(${viewerIds}::text[]) AND ${eligible("u", clock)} AND ${placeable("u")}`;
}

export async function countEligibleUsers(db: Sql, clock: Clock): Promise<number> {
  const [row] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM users u WHERE ${eligible("u", clock)}`;
  return row?.n ?? 0;
}

/**
 * The users match-scores leaves out (all of them, or just `userId`), counted by reason: the
 * shared rule's reasons first, then 'inactive' and 'noGender' (see {@link eligible}).
 */
export async function countUnscorableUsers(
  db: Sql,
  clock: Clock,
  userId?: string,
): Promise<Record<string, number>> {
  const only = userId === undefined ? Prisma.empty : Prisma.sql`AND u.id = ${userId}`;
  const rows = await db.$queryRaw<{ reason: string; n: number }[]>`
    SELECT reason, count(*)::int AS n FROM (
      SELECT coalesce(${ineligibleReason("u", clock.now)}, ${unscorableReason("u", clock)}) AS reason
      FROM users u WHERE u.created_at <= ${clock.now} ${only}
    ) r
    WHERE reason IS NOT NULL GROUP BY reason ORDER BY reason`;
  return Object.fromEntries(rows.map((r) => [r.reason, r.n]));
}

export async function userExists(db: Sql, userId: string): Promise<boolean> {
  const rows = await db.$queryRaw<{ id: string }[]>`SELECT id FROM users WHERE id = ${userId}`;
  return rows.length > 0;
}

export interface PoolRow {
  viewer_id: string;
  /** Candidates passing the SQL filters, counted up to `maxIds + 1`. */
  n: number;
  /** The candidates, or null when there are more than `maxIds` (the pool must be narrowed). */
  ids: string[] | null;
}

/**
 * Candidates passing the SQL hard filters, as two branches (with and without a location) so
 * that the latitude band is an index condition (users_gender_latitude_birth_date_idx).
 */
function filteredCandidates(
  clock: Clock,
  columns: Prisma.Sql,
  joins = Prisma.empty,
  and = Prisma.empty,
) {
  const from = Prisma.sql`users c ${joins}`;
  return Prisma.sql`
    SELECT ${columns} FROM ${from} WHERE ${candidateFilters(clock, true)} ${and}
    UNION ALL
    SELECT ${columns} FROM ${from} WHERE ${candidateFilters(clock, false)} ${and}`;
}

/**
 * Each viewer's candidate pool after the SQL hard filters (one statement per batch). With
 * `maxIds`, a viewer's scan stops after `maxIds + 1` rows and a larger pool comes back as a
 * count only; without it, every candidate comes back (the exact path's full scan).
 */
export function candidatePoolsSql(
  viewerIds: readonly string[],
  clock: Clock,
  maxIds: number | null,
) {
  const limit = maxIds === null ? Prisma.empty : Prisma.sql`LIMIT ${maxIds + 1}`;
  const fits = maxIds === null ? Prisma.sql`true` : Prisma.sql`count(*) <= ${maxIds}`;
  return Prisma.sql`
    WITH v AS MATERIALIZED (${viewerWindow(viewerIds, clock)})
    SELECT v.id AS viewer_id, pool.n, pool.ids
    FROM v CROSS JOIN LATERAL (
      SELECT count(*)::int AS n, CASE WHEN ${fits} THEN coalesce(array_agg(c.id), '{}') END AS ids
      FROM (${filteredCandidates(clock, Prisma.sql`c.id`)} ${limit}) c
    ) pool`;
}

export async function candidatePools(
  db: Sql,
  viewerIds: readonly string[],
  clock: Clock,
  maxIds: number | null,
): Promise<PoolRow[]> {
  return db.$queryRaw<PoolRow[]>(candidatePoolsSql(viewerIds, clock, maxIds));
}

/** Narrowing's order: the nearest quiz first, then (no comparable quiz) the nearest in km, then id. */
const NEAREST_FIRST = Prisma.sql`quiz_distance NULLS LAST,
  CASE WHEN quiz_distance IS NULL THEN km END NULLS LAST, id COLLATE "C"`;

/**
 * match-v3's stratified narrowing (`narrowStratified`): each stratum (a comparable quiz or not)
 * ranked nearest first, the one without keeping `noQuizQuota` places (its share of the pool,
 * rounded half up in integers as in the job), the other the rest of `cap`.
 */
function stratifiedTop(candidates: Prisma.Sql, cap: number) {
  const quota = Prisma.sql`(2 * ${cap}::bigint * no_quiz + total) / (2 * total)`;
  return Prisma.sql`
    SELECT id FROM (
      SELECT id, quiz_distance IS NULL AS without_quiz,
             row_number() OVER (PARTITION BY quiz_distance IS NULL ORDER BY ${NEAREST_FIRST}) AS place,
             count(*) FILTER (WHERE quiz_distance IS NULL) OVER () AS no_quiz,
             count(*) OVER () AS total
      FROM (${candidates}) c
    ) ranked
    WHERE place <= CASE WHEN without_quiz THEN ${quota} ELSE ${cap}::bigint - ${quota} END`;
}

/**
 * The pgvector form of narrowing large pools to `cap` candidates, in one pass over each
 * filtered pool (filter first, then similarity): candidates whose quiz compares with the
 * viewer's by cosine distance (pgvector's `<=>` on the centred vectors), then the others by
 * distance in km (unknown last), ids breaking ties — the order of `narrowByQuiz`, which the
 * exact path applies in the job; "stratified" (match-v3) as `narrowStratified`. An exact top-N:
 * no vector index is involved. The candidate's own preferences are checked here too (as
 * `acceptEachOther` and `withinEachOthersDistance` do before the exact path narrows), so that
 * the cap is spent on candidates who also accept the viewer.
 */
export function nearestQuizPoolsSql(
  viewerIds: readonly string[],
  clock: Clock,
  cap: number,
  narrowing: Narrowing,
) {
  const columns = Prisma.sql`c.id, ${quizDistance("cq.answers")} AS quiz_distance, ${candidateKm} AS km`;
  const joins = Prisma.sql`LEFT JOIN quiz_responses cq ON cq.user_id = c.id
    LEFT JOIN match_preferences cp ON cp.user_id = c.id`;
  const wishes = preferencesOf("cp");
  const acceptsViewer = Prisma.sql`
    AND v.age BETWEEN ${wishes.minAge} AND ${wishes.maxAge}
    AND NOT (v.attributes && ${wishes.dealbreakers})
    AND (${candidateKm} IS NULL OR ${candidateKm} <= ${wishes.maxKm})`;
  const candidates = filteredCandidates(clock, columns, joins, acceptsViewer);
  const top =
    narrowing === "stratified"
      ? stratifiedTop(candidates, cap)
      : Prisma.sql`SELECT id FROM (${candidates}) c ORDER BY ${NEAREST_FIRST} LIMIT ${cap}`;
  return Prisma.sql`
    WITH v AS MATERIALIZED (${viewerWindow(viewerIds, clock, true)})
    SELECT v.id AS viewer_id, coalesce(array_agg(pool.id), '{}') AS ids
    FROM v CROSS JOIN LATERAL (${top}) pool
    GROUP BY v.id`;
}

export async function nearestQuizPools(
  db: Sql,
  viewerIds: readonly string[],
  clock: Clock,
  cap: number,
  narrowing: Narrowing,
): Promise<{ viewer_id: string; ids: string[] }[]> {
  return db.$queryRaw(nearestQuizPoolsSql(viewerIds, clock, cap, narrowing));
}

export interface ProfileRow {
  id: string;
  age: number;
  goal: string | null;
  attributes: string[];
  latitude: number | null;
  longitude: number | null;
  answers: (number | null)[] | null;
  min_age: number;
  max_age: number;
  max_km: number;
  preferences: string[];
  dealbreakers: string[];
  interests: string[];
  gender: string;
  genders_sought: string[];
}

/**
 * The discovery inputs of the users `where` picks, made usable as the candidate query uses them
 * (see `preferencesOf`, `usableQuiz`; a user who cannot be placed is never asked for).
 */
function profilesSql(clock: Clock, where: Prisma.Sql) {
  const wishes = preferencesOf("p");
  return Prisma.sql`
    SELECT u.id, ${ageOf("u", clock)} AS age, u.relationship_goal::text AS goal,
           ${withoutNulls(Prisma.sql`u.attributes`)} AS attributes, u.latitude, u.longitude,
           CASE WHEN ${usableQuiz("q.answers")} THEN q.answers END AS answers,
           ${wishes.minAge} AS min_age, ${wishes.maxAge} AS max_age, ${wishes.maxKm} AS max_km,
           ${wishes.preferences} AS preferences, ${wishes.dealbreakers} AS dealbreakers,
           coalesce(i.tags, '{}') AS interests, u.gender::text AS gender,
           ${withoutNulls(Prisma.sql`u.genders_sought::text[]`)} AS genders_sought
    FROM users u
    LEFT JOIN match_preferences p ON p.user_id = u.id
    LEFT JOIN quiz_responses q ON q.user_id = u.id
    LEFT JOIN LATERAL (SELECT array_agg(tag) AS tags FROM user_interests WHERE user_id = u.id) i ON true
    WHERE ${where}`;
}

export async function discoveryProfiles(
  db: Sql,
  ids: readonly string[],
  clock: Clock,
): Promise<ProfileRow[]> {
  return db.$queryRaw<ProfileRow[]>(profilesSql(clock, Prisma.sql`u.id = ANY(${ids}::text[])`));
}

export interface NegativeSignalRow {
  actor_id: string;
  target_user_id: string;
  type: "HIDE" | "BLOCK" | "REPORT";
  last_at: Date;
}

/**
 * Blocks and reports involving the batch's viewers either way (of the user or of their posts:
 * the event's target is the post's author), and the viewers' hides of users (profile hides;
 * hiding a post is about the content and is left to feed ranking), latest per pair and type.
 */
export async function negativeSignals(
  db: Sql,
  viewerIds: readonly string[],
  clock: Clock,
): Promise<NegativeSignalRow[]> {
  return db.$queryRaw<NegativeSignalRow[]>`
    SELECT e.actor_id, e.target_user_id, e.type::text AS type, max(e.occurred_at) AS last_at
    FROM engagement_events e
    WHERE e.type IN ('HIDE', 'BLOCK', 'REPORT') AND e.occurred_at <= ${clock.now}
      AND (e.type <> 'HIDE' OR e.post_id IS NULL)
      AND (e.actor_id = ANY(${viewerIds}::text[])
           OR (e.target_user_id = ANY(${viewerIds}::text[]) AND e.type <> 'HIDE'))
    GROUP BY e.actor_id, e.target_user_id, e.type`;
}
