import { eligiblePerson, Prisma, rebuildCopyOf } from "@feed-jobs/db";
import type { AffinityProfile } from "@feed-jobs/scoring/affinity";
import { ineligibleUserIds } from "../eligibility.ts";
import type { RangedTable } from "../shards.ts";
import { ACTIONS, type LookbackWindow, type Sql } from "./sql.ts";

/** Which users a run looks at, and the write of their profiles. */

/** The table of profiles, for the cleanup of ineligible users' (jobs/eligibility.ts). */
export const PROFILES = { table: "user_affinity_profiles", personColumns: ["user_id"] } as const;

/** The table of profiles as full runs rebuild it: shards by user. */
export const PROFILES_BY_USER: RangedTable = { table: PROFILES.table, key: "user_id" };

export async function existingUserIds(db: Sql, ids: readonly string[]): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT id FROM users WHERE id = ANY(${ids}::text[]) ORDER BY id`;
  return rows.map((r) => r.id);
}

export interface DueQuery {
  readonly window: LookbackWindow;
  /** Only users with an action after this are looked at (the last complete run). */
  readonly since: Date;
  readonly minInteractions: number;
  readonly minNewActions: number;
}

/**
 * Seed "Incremental": users with a profile and at least `minNewActions` actions since it was
 * computed, and users without one now at `minInteractions` actions in the window. A user can
 * only cross either line by acting, so only actors after `since` are counted — by the
 * engagement_events(occurred_at) index, nothing at all when nobody acted; each count stops at
 * the larger threshold (engagement_events(actor_id, occurred_at)). Only eligible users: every
 * run first removes the profiles of the others.
 */
export async function usersDueForUpdate(db: Sql, q: DueQuery): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    WITH recent_actors AS (
      SELECT DISTINCT actor_id FROM engagement_events
      WHERE occurred_at > ${q.since}::timestamp AND occurred_at <= ${q.window.now}::timestamp
        AND type IN ${ACTIONS} AND actor_id <> target_user_id
    )
    SELECT r.actor_id AS id
    FROM recent_actors r
    JOIN users u ON u.id = r.actor_id AND ${eligiblePerson("u", q.window.now)}
    LEFT JOIN user_affinity_profiles p ON p.user_id = r.actor_id
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS n FROM (
        SELECT 1 FROM engagement_events e
        WHERE e.actor_id = r.actor_id AND e.type IN ${ACTIONS} AND e.actor_id <> e.target_user_id
          AND e.occurred_at > coalesce(p.computed_at, ${q.window.start}::timestamp)
          AND e.occurred_at <= ${q.window.now}::timestamp
        LIMIT ${Math.max(q.minInteractions, q.minNewActions)}::int
      ) counted
    ) actions
    WHERE actions.n >= CASE WHEN p.user_id IS NULL THEN ${q.minInteractions}::int
                            ELSE ${q.minNewActions}::int END
    ORDER BY r.actor_id`;
  return rows.map((r) => r.id);
}

/** Users who are not deleted: the N of the inverse audience frequency. */
export async function countPopulation(db: Sql): Promise<number> {
  const rows = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM users WHERE deleted_at IS NULL`;
  return rows[0]?.n ?? 0;
}

const PROFILE_COLUMNS = Prisma.raw(`(user_id, top_creators, top_topics, content_type_prefs,
  engagement_velocity, exploration_factor, interaction_count, computed_at, algorithm_version)`);

export interface ProfileStamp {
  readonly computedAt: Date;
  readonly algorithmVersion: string;
}

/** SQL: the profiles as rows of {@link PROFILE_COLUMNS}. */
function profileRows(profiles: readonly AffinityProfile[], stamp: ProfileStamp): Prisma.Sql {
  return Prisma.sql`
    SELECT p.user_id, p.top_creators::jsonb, p.top_topics::jsonb, p.content_type_prefs::jsonb,
           p.velocity, p.exploration, p.interactions, ${stamp.computedAt}::timestamp, ${stamp.algorithmVersion}
    FROM unnest(${profiles.map((p) => p.userId)}::text[],
                ${profiles.map((p) => JSON.stringify(p.topCreators))}::text[],
                ${profiles.map((p) => JSON.stringify(p.topTopics))}::text[],
                ${profiles.map((p) => JSON.stringify(p.contentTypePrefs))}::text[],
                ${profiles.map((p) => p.engagementVelocity)}::float8[],
                ${profiles.map((p) => p.explorationFactor)}::float8[],
                ${profiles.map((p) => p.interactionCount)}::int[])
      AS p(user_id, top_creators, top_topics, content_type_prefs, velocity, exploration, interactions)`;
}

/**
 * Upserts the batch's profiles and deletes those of its users without one now, in one
 * statement, so a batch is written wholly or not at all.
 */
export async function writeProfiles(
  db: Sql,
  profiles: readonly AffinityProfile[],
  removedUserIds: readonly string[],
  stamp: ProfileStamp,
): Promise<{ upserted: number; removed: number }> {
  const rows = await db.$queryRaw<{ upserted: number; removed: number }[]>`
    WITH removed AS (
      DELETE FROM user_affinity_profiles WHERE user_id = ANY(${removedUserIds}::text[]) RETURNING 1
    ), upserted AS (
      INSERT INTO user_affinity_profiles ${PROFILE_COLUMNS} ${profileRows(profiles, stamp)}
      ON CONFLICT (user_id) DO UPDATE SET
        top_creators = EXCLUDED.top_creators, top_topics = EXCLUDED.top_topics,
        content_type_prefs = EXCLUDED.content_type_prefs,
        engagement_velocity = EXCLUDED.engagement_velocity,
        exploration_factor = EXCLUDED.exploration_factor,
        interaction_count = EXCLUDED.interaction_count,
        computed_at = EXCLUDED.computed_at, algorithm_version = EXCLUDED.algorithm_version
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM upserted)::int AS upserted, (SELECT count(*) FROM removed)::int AS removed`;
  return rows[0] ?? { upserted: 0, removed: 0 };
}

/**
 * A full run's write of a batch into the rebuild copy: the profiles, counted as upserted, and
 * as removed the profiles that users without one now have in the table being replaced (what
 * the write in place would have deleted).
 */
export async function addProfilesToRebuild(
  db: Sql,
  profiles: readonly AffinityProfile[],
  removedUserIds: readonly string[],
  stamp: ProfileStamp,
): Promise<{ upserted: number; removed: number }> {
  const rows = await db.$queryRaw<{ upserted: number; removed: number }[]>`
    WITH upserted AS (
      INSERT INTO ${Prisma.raw(rebuildCopyOf(PROFILES.table))} ${PROFILE_COLUMNS} ${profileRows(profiles, stamp)}
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM upserted)::int AS upserted,
           (SELECT count(*) FROM user_affinity_profiles
            WHERE user_id = ANY(${removedUserIds}::text[]))::int AS removed`;
  return rows[0] ?? { upserted: 0, removed: 0 };
}

/**
 * Actions in the window on someone else by people not eligible at its end: what every
 * audience leaves out (a full run counts them once, for all creators; see `CreatorBook`).
 */
export async function countActionsByIneligible(db: Sql, window: LookbackWindow): Promise<number> {
  const ineligible = await ineligibleUserIds(db, window.now);
  if (ineligible.length === 0) return 0;
  const rows = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM engagement_events e
    WHERE e.actor_id = ANY(${ineligible}::text[])
      AND e.occurred_at > ${window.start}::timestamp AND e.occurred_at <= ${window.now}::timestamp
      AND e.type IN ${ACTIONS} AND e.actor_id <> e.target_user_id`;
  return rows[0]?.n ?? 0;
}
