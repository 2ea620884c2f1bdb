import type { Database } from "@feed-jobs/db";
import { createTestDatabase } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DatabaseNotEmptyError,
  QUIZ_DIMENSIONS,
  SEEDED_TABLES,
  type SeedSummary,
  seedDemoData,
} from "../../src/demo/index.ts";

const USERS = 300;
const now = new Date("2026-03-01T12:00:00.000Z");

const ORDER: Record<(typeof SEEDED_TABLES)[number], string> = {
  users: "id",
  match_preferences: "user_id",
  quiz_responses: "user_id",
  user_interests: "user_id, tag",
  posts: "id",
  engagement_events: "id",
  messages: "id",
};

/** One md5 per seeded table over all its rows in key order. */
async function checksums(db: Database): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of SEEDED_TABLES) {
    const [row] = await db.prisma.$queryRawUnsafe<{ sum: string | null }[]>(
      `SELECT md5(string_agg(t::text, '|' ORDER BY ${ORDER[table]})) AS sum FROM "${table}" t`,
    );
    out[table] = row?.sum ?? "";
  }
  return out;
}

async function one<T>(db: Database, sql: string): Promise<T> {
  const [row] = await db.prisma.$queryRawUnsafe<T[]>(sql);
  return row as T;
}

describe("seedDemoData", () => {
  let a: Database;
  let b: Database;
  let summary: SeedSummary;
  let sumsA: Record<string, string>;

  beforeAll(async () => {
    [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    summary = await seedDemoData(a, { users: USERS, now });
    sumsA = await checksums(a);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it("is deterministic: the same seed and clock give identical rows, ids included", async () => {
    await seedDemoData(b, { users: USERS, seed: 42, now });
    expect(await checksums(b)).toEqual(sumsA);
    for (const table of SEEDED_TABLES) expect(summary.counts[table]).toBeGreaterThan(0);
  }, 60_000);

  it("reseeds after a reset, and a different seed gives different data", async () => {
    const again = await seedDemoData(b, { users: USERS, seed: 7, now, reset: true });
    const other = await checksums(b);
    for (const table of SEEDED_TABLES) {
      expect(other[table], table).not.toEqual(sumsA[table]);
      const { n } = await one<{ n: number }>(b, `SELECT count(*)::int AS n FROM "${table}"`);
      expect(n, table).toBe(again.counts[table]);
    }
    const { first } = await one<{ first: string }>(
      b,
      "SELECT min(id)::text AS first FROM engagement_events",
    );
    expect(first).toBe("1");
  }, 60_000);

  it("refuses a database that already has users", async () => {
    const attempt = seedDemoData(a, { users: 10, now });
    await expect(attempt).rejects.toBeInstanceOf(DatabaseNotEmptyError);
    await expect(seedDemoData(a, { users: 10, now })).rejects.toThrow(/reset/);
    expect(await one<{ n: number }>(a, "SELECT count(*)::int AS n FROM users")).toEqual({
      n: USERS,
    });
  });

  it("reports what it wrote", async () => {
    expect(summary.counts.users).toBe(USERS);
    for (const table of SEEDED_TABLES) {
      const { n } = await one<{ n: number }>(a, `SELECT count(*)::int AS n FROM "${table}"`);
      expect(n, table).toBe(summary.counts[table]);
    }
    // Roughly 100 events and 3 posts per user.
    expect(summary.counts.engagement_events / USERS).toBeGreaterThan(50);
    expect(summary.counts.engagement_events / USERS).toBeLessThan(200);
    expect(summary.counts.posts / USERS).toBeGreaterThan(2);
    expect(summary.counts.posts / USERS).toBeLessThan(4);
  });

  it("shapes users like a real population", async () => {
    const users = await one<Record<string, number>>(
      a,
      `SELECT min(date_part('year', age('${now.toISOString().slice(0, 10)}'::date, birth_date)))::int AS min_age,
              max(date_part('year', age('${now.toISOString().slice(0, 10)}'::date, birth_date)))::int AS max_age,
              count(*) FILTER (WHERE birth_date IS NULL)::int AS no_birth_date,
              count(*) FILTER (WHERE latitude IS NULL)::int AS no_location,
              count(*) FILTER (WHERE deactivated_at IS NOT NULL)::int AS deactivated,
              count(*) FILTER (WHERE gender = 'NONBINARY')::int AS nonbinary,
              count(*) FILTER (WHERE cardinality(genders_sought) >= 2)::int AS seek_several,
              count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM quiz_responses q WHERE q.user_id = u.id))::int AS no_quiz,
              count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM user_interests i WHERE i.user_id = u.id))::int AS no_interests,
              count(*) FILTER (WHERE greatest(created_at, profile_updated_at, quiz_updated_at,
                location_updated_at, last_active_at) > '${now.toISOString()}'::timestamp)::int AS in_future
       FROM users u`,
    );
    expect(users.min_age).toBeGreaterThanOrEqual(18);
    expect(users.max_age).toBeLessThanOrEqual(70);
    expect(users.no_birth_date).toBe(0);
    expect(users.in_future).toBe(0);
    for (const key of ["no_location", "deactivated", "seek_several", "no_quiz", "no_interests"]) {
      expect(users[key], key).toBeGreaterThan(0);
    }
    const quiz = await one<Record<string, number>>(
      a,
      `SELECT min(array_length(answers, 1))::int AS min_len, max(array_length(answers, 1))::int AS max_len,
              min(v)::float AS lo, max(v)::float AS hi, stddev(v)::float AS sd
       FROM quiz_responses, unnest(answers) AS v`,
    );
    expect(quiz).toMatchObject({ min_len: QUIZ_DIMENSIONS, max_len: QUIZ_DIMENSIONS });
    expect(quiz.lo).toBeGreaterThanOrEqual(0);
    expect(quiz.hi).toBeLessThanOrEqual(1);
    expect(quiz.sd).toBeGreaterThan(0.15);
  });

  it("writes every kind of post and event, never outside [post creation, now]", async () => {
    const types = await a.prisma.$queryRawUnsafe<{ type: string }[]>(
      "SELECT DISTINCT type::text AS type FROM posts ORDER BY 1",
    );
    expect(types.map((t) => t.type)).toEqual(["PHOTO", "POLL", "TEXT", "VIDEO"]);
    const events = await a.prisma.$queryRawUnsafe<{ type: string; on_post: boolean }[]>(
      "SELECT DISTINCT type::text AS type, post_id IS NOT NULL AS on_post FROM engagement_events",
    );
    const kinds = new Set(events.map((e) => `${e.type}:${e.on_post ? "post" : "user"}`));
    for (const kind of [
      "IMPRESSION:post",
      "SEEN:post",
      "LIKE:post",
      "LIKE:user",
      "COMMENT:post",
      "SHARE:post",
      "PROFILE_VIEW:user",
      "HIDE:post",
      "HIDE:user",
      "BLOCK:user",
      "REPORT:post",
      "REPORT:user",
    ]) {
      expect(kinds, kind).toContain(kind);
    }
    const bad = await one<Record<string, number>>(
      a,
      `SELECT count(*) FILTER (WHERE e.occurred_at > '${now.toISOString()}'::timestamp)::int AS after_now,
              count(*) FILTER (WHERE e.occurred_at < p.created_at)::int AS before_post,
              count(*) FILTER (WHERE p.id IS NOT NULL AND p.author_id <> e.target_user_id)::int AS wrong_target,
              count(*) FILTER (WHERE e.actor_id = e.target_user_id)::int AS self
       FROM engagement_events e LEFT JOIN posts p ON p.id = e.post_id`,
    );
    expect(bad).toEqual({ after_now: 0, before_post: 0, wrong_target: 0, self: 0 });
    const likes = await one<{ likes: number; distinct_likes: number }>(
      a,
      `SELECT count(*)::int AS likes,
              count(DISTINCT (actor_id, coalesce(post_id, 'user ' || target_user_id)))::int AS distinct_likes
       FROM engagement_events WHERE type = 'LIKE'`,
    );
    expect(likes.likes).toBe(likes.distinct_likes);
    const msgs = await one<Record<string, number>>(
      a,
      `SELECT count(*) FILTER (WHERE sent_at > '${now.toISOString()}'::timestamp)::int AS after_now,
              count(*) FILTER (WHERE sender_id = recipient_id)::int AS self
       FROM messages`,
    );
    expect(msgs).toEqual({ after_now: 0, self: 0 });
  });
});
