import { eligiblePerson, Prisma } from "@feed-jobs/db";
import type { SignalWeights } from "@feed-jobs/scoring/affinity";
import { topicsOf } from "../inputs.ts";
import { type RunInput, readRunInput, storeRunInput } from "../run-inputs.ts";
import { ACTIONS, type LookbackWindow, recencyDecay, type Sql, typeWeight } from "./sql.ts";

/** The per-batch reads: each user's signals, negative actions, and the creators' audiences. */

const NEGATIVE_ACTIONS = Prisma.raw("('HIDE', 'BLOCK', 'REPORT')");

export interface BatchUserRow {
  id: string;
  account_age_days: number;
  /** Not eligible at `now` (the shared rule): gets no profile. */
  ineligible: boolean;
}

export async function loadBatchUsers(db: Sql, ids: readonly string[], now: Date) {
  return db.$queryRaw<BatchUserRow[]>`
    SELECT u.id, extract(epoch FROM ${now}::timestamp - u.created_at)::float8 / 86400 AS account_age_days,
           NOT ${eligiblePerson("u", now)} AS ineligible
    FROM users u WHERE u.id = ANY(${ids}::text[])`;
}

/** One row per batch user with events in the window; each weight array parallels its key array. */
export interface SignalRow {
  user_id: string;
  /** Likes, comments, shares and profile views. */
  actions: number;
  /** Events of any positive type read. */
  events: number;
  creator_ids: string[];
  /** Sum of type weight × recencyDecayFactor ^ ageDays, per creator. */
  creator_weights: number[];
  topics: string[];
  topic_weights: number[];
  post_types: string[];
  post_type_weights: number[];
  /** With `withPosts` (affinity-v2): the engaged posts and the user's weight on each. */
  post_ids?: string[];
  post_weights?: number[];
}

/**
 * One set-based pass over the batch users' events in the window, through
 * engagement_events(actor_id, occurred_at): decayed, type-weighted sums per (user, creator),
 * (user, topic) and (user, post type), returned as one row of arrays per user (far fewer rows
 * to ship than one per pair). Events are first folded per (user, creator, post), so posts and
 * post_features are joined once per engaged post, not once per event. `withPosts` adds each
 * user's weight per engaged post (affinity-v2 weighs a post's topics by where they come from).
 */
export async function aggregateSignals(
  db: Sql,
  ids: readonly string[],
  window: LookbackWindow,
  weights: SignalWeights,
  decayPerDay: number,
  withPosts = false,
): Promise<SignalRow[]> {
  const posts = withPosts
    ? {
        columns: Prisma.sql`, q.post_ids, q.post_weights`,
        join: Prisma.sql`LEFT JOIN (
      SELECT actor_id, array_agg(post_id) AS post_ids, array_agg(weight) AS post_weights
      FROM per_post WHERE post_id IS NOT NULL GROUP BY actor_id
    ) q ON q.actor_id = c.actor_id`,
      }
    : { columns: Prisma.empty, join: Prisma.empty };
  return db.$queryRaw<SignalRow[]>`
    WITH per_post AS MATERIALIZED (
      SELECT e.actor_id, e.target_user_id, e.post_id,
             sum(${typeWeight("e", weights)} * ${recencyDecay("e.occurred_at", window, decayPerDay)}) AS weight,
             (count(*) FILTER (WHERE e.type IN ${ACTIONS}))::int AS actions,
             count(*)::int AS events
      FROM engagement_events e
      WHERE e.actor_id = ANY(${ids}::text[])
        AND e.occurred_at > ${window.start}::timestamp AND e.occurred_at <= ${window.now}::timestamp
        AND e.type IN ('IMPRESSION', 'SEEN', 'PROFILE_VIEW', 'LIKE', 'COMMENT', 'SHARE')
        AND e.target_user_id <> e.actor_id
      GROUP BY e.actor_id, e.target_user_id, e.post_id
    ), engaged_posts AS MATERIALIZED (
      SELECT g.actor_id, g.weight, p.type::text AS type, ${topicsOf("f")} AS topics
      FROM per_post g JOIN posts p ON p.id = g.post_id LEFT JOIN post_features f ON f.post_id = p.id
    ), creators AS (
      SELECT g.actor_id, g.target_user_id AS key, sum(g.weight) AS weight,
             sum(g.actions) AS actions, sum(g.events) AS events
      FROM per_post g
      GROUP BY g.actor_id, g.target_user_id
    ), topics AS (
      SELECT p.actor_id, t.topic AS key, sum(p.weight) AS weight
      FROM engaged_posts p CROSS JOIN LATERAL (SELECT DISTINCT unnest(p.topics)) AS t(topic)
      GROUP BY p.actor_id, t.topic
    ), post_types AS (
      SELECT p.actor_id, p.type AS key, sum(p.weight) AS weight
      FROM engaged_posts p GROUP BY p.actor_id, p.type
    )
    SELECT c.actor_id AS user_id, c.actions, c.events, c.creator_ids, c.creator_weights,
           coalesce(t.keys, ARRAY[]::text[]) AS topics,
           coalesce(t.weights, ARRAY[]::float8[]) AS topic_weights,
           coalesce(y.keys, ARRAY[]::text[]) AS post_types,
           coalesce(y.weights, ARRAY[]::float8[]) AS post_type_weights ${posts.columns}
    FROM (
      SELECT actor_id, sum(actions)::int AS actions, sum(events)::int AS events,
             array_agg(key) AS creator_ids, array_agg(weight) AS creator_weights
      FROM creators GROUP BY actor_id
    ) c
    LEFT JOIN (
      SELECT actor_id, array_agg(key) AS keys, array_agg(weight) AS weights
      FROM topics GROUP BY actor_id
    ) t ON t.actor_id = c.actor_id
    LEFT JOIN (
      SELECT actor_id, array_agg(key) AS keys, array_agg(weight) AS weights
      FROM post_types GROUP BY actor_id
    ) y ON y.actor_id = c.actor_id
    ${posts.join}`;
}

export interface NegativeRow {
  user_id: string;
  kind: "HIDE" | "BLOCK" | "REPORT";
  creator_id: string;
  age_days: number;
  /** Topics of the hidden post (empty for blocks, reports and posts without features). */
  topics: string[];
}

/** Every hide, block and report of the batch users up to now: they exclude for good. */
export async function loadNegatives(db: Sql, ids: readonly string[], now: Date) {
  return db.$queryRaw<NegativeRow[]>`
    SELECT e.actor_id AS user_id, e.type::text AS kind, e.target_user_id AS creator_id,
           extract(epoch FROM ${now}::timestamp - e.occurred_at)::float8 / 86400 AS age_days,
           ${topicsOf("f")} AS topics
    FROM engagement_events e
    LEFT JOIN post_features f ON e.type = 'HIDE' AND f.post_id = e.post_id
    WHERE e.actor_id = ANY(${ids}::text[]) AND e.type IN ${NEGATIVE_ACTIONS}
      AND e.occurred_at <= ${now}::timestamp`;
}

export interface CreatorRow {
  creator_id: string;
  /** False for a creator who is not eligible (the shared rule) at the window's end. */
  available: boolean;
  /** Distinct users with an action on the creator in the window. */
  audience: number;
  /** Action events counted. */
  events: number;
  /** Action events by people not eligible at the window's end: not part of the audience. */
  ineligible_events: number;
}

/**
 * Audience and availability of creators `creatorIds` (or of every user), by
 * engagement_events(target_user_id, occurred_at). The audience counts eligible people only: a
 * deleted account or a minor is nobody's audience.
 */
function creatorAudiences(creatorIds: readonly string[] | "all", window: LookbackWindow) {
  const some = (column: string) =>
    creatorIds === "all"
      ? Prisma.sql`true`
      : Prisma.sql`${Prisma.raw(column)} = ANY(${[...creatorIds]}::text[])`;
  return Prisma.sql`
    SELECT u.id AS creator_id, ${eligiblePerson("u", window.now)} AS available,
           coalesce(a.audience, 0) AS audience, coalesce(a.events, 0) AS events,
           coalesce(a.ineligible_events, 0) AS ineligible_events
    FROM users u
    LEFT JOIN (
      SELECT e.target_user_id,
             (count(DISTINCT e.actor_id) FILTER (WHERE x.eligible))::int AS audience,
             count(*)::int AS events,
             (count(*) FILTER (WHERE NOT x.eligible))::int AS ineligible_events
      FROM engagement_events e
      CROSS JOIN LATERAL (
        SELECT ${eligiblePerson("a", window.now)} AS eligible FROM users a WHERE a.id = e.actor_id
      ) x
      WHERE ${some("e.target_user_id")}
        AND e.occurred_at > ${window.start}::timestamp AND e.occurred_at <= ${window.now}::timestamp
        AND e.type IN ${ACTIONS} AND e.actor_id <> e.target_user_id
      GROUP BY e.target_user_id
    ) a ON a.target_user_id = u.id
    WHERE ${some("u.id")}`;
}

/** Creator rows, and how many input rows producing them took. */
export interface CreatorRows {
  readonly rows: CreatorRow[];
  readonly rowsRead: number;
}

/** The creators' audiences, aggregated from their action events (rows read: those events). */
export async function aggregateCreators(
  db: Sql,
  creatorIds: readonly string[],
  window: LookbackWindow,
): Promise<CreatorRows> {
  const rows = await db.$queryRaw<CreatorRow[]>`${creatorAudiences(creatorIds, window)}`;
  return { rows, rowsRead: rows.reduce((sum, row) => sum + row.events, 0) };
}

/** A full run's creator audiences, aggregated once and read by its shards. */
const CREATOR_AUDIENCES: RunInput = {
  table: "affinity_creator_audiences",
  key: "creator_id",
  columns: ["creator_id", "available", "audience", "events", "ineligible_events"],
};

/**
 * A full run's first step: every user's audience as a creator, into affinity_creator_audiences,
 * for the run's shards to read. Returns the action events aggregated.
 */
export function storeCreatorAudiences(db: Sql, window: LookbackWindow) {
  const rows = creatorAudiences("all", window);
  return storeRunInput(db, CREATOR_AUDIENCES, rows, Prisma.sql`sum(events)`);
}

/** The stored audiences of `creatorIds` (storeCreatorAudiences). */
export const readStoredCreators = (db: Sql, creatorIds: readonly string[]): Promise<CreatorRows> =>
  readRunInput<CreatorRow>(db, CREATOR_AUDIENCES, creatorIds);
