import type { Database } from "@feed-jobs/db";
import { createTestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import { type JobDefinition, type JobOptions, type RunSummary, runJob } from "@feed-jobs/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { affinityJob } from "../../src/jobs/affinity/job.ts";
import { cleanupJob } from "../../src/jobs/cleanup/job.ts";
import { compatibilityJob } from "../../src/jobs/compatibility/job.ts";
import { contentFeaturesJob } from "../../src/jobs/contentFeatures/job.ts";
import { missingScopeTarget } from "../../src/jobs/scope-targets.ts";
import { trendingJob } from "../../src/jobs/trending/job.ts";
import { viewerStateJob } from "../../src/jobs/viewerState/job.ts";
import { daysBefore, fixtures, hoursBefore } from "../support/fixtures.ts";

/**
 * Rows the schema allows but no job should trust (NULL array elements, empty and huge text,
 * NaN and Infinity, timestamps far away, messages to oneself, events on deleted posts or by
 * deleted users, duplicates, mismatched references), next to good rows. Two databases get the
 * same good rows and the same users; one also gets the bad rows. Every job must succeed on
 * it in every mode, score the good rows exactly as on the clean one, and count what it left out.
 */

const now = new Date("2026-03-01T12:00:00Z");
const GOOD = ["g1", "g2", "g3", "g4", "g5", "g6"];
const GOOD_POSTS = ["p1", "p2", "p3", "p4"];
/** Bad users exist (with sane fields) in both databases, so populations agree. */
const BAD_USERS = ["bx", "by"];

type Fx = ReturnType<typeof fixtures>;
const minutesBefore = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

async function seedGood(db: Database, f: Fx) {
  for (const id of [...GOOD, ...BAD_USERS]) await f.user({ id, interests: ["hiking"] });
  await f.user({ id: "bdel", deletedAt: daysBefore(now, 2) });
  await f.user({ id: "bminor", age: 15 });
  await f.post({ id: "p1", authorId: "g1", tags: ["Hiking"], createdAt: hoursBefore(now, 5) });
  await f.post({
    id: "p2",
    authorId: "g1",
    caption: "Coffee and books",
    createdAt: hoursBefore(now, 30),
  });
  await f.post({ id: "p3", authorId: "g2", tags: ["music"], createdAt: daysBefore(now, 3) });
  await f.post({
    id: "p4",
    authorId: "g3",
    caption: "Trail running at dawn",
    createdAt: daysBefore(now, 2),
  });
  // Bad posts' authors and bad users' own posts exist in both databases.
  await f.post({
    id: "py",
    authorId: "by",
    caption: "Surfing lessons",
    createdAt: hoursBefore(now, 6),
  });
  // p1 trends: six actions by five people, two in the last hour.
  for (const [actorId, type, minutes] of [
    ["g2", "LIKE", 200],
    ["g3", "LIKE", 150],
    ["g4", "COMMENT", 100],
    ["g5", "SHARE", 30],
    ["g6", "LIKE", 20],
    ["g2", "COMMENT", 90],
  ] as const) {
    await f.event({ actorId, type, postId: "p1", at: minutesBefore(minutes) });
  }
  // g3: enough actions for an affinity profile; g1 and g3 engage mutually.
  for (let i = 0; i < 6; i += 1) {
    await f.event({ actorId: "g3", type: "LIKE", postId: "p2", at: hoursBefore(now, 10 + i) });
    await f.event({ actorId: "g3", type: "COMMENT", postId: "p3", at: hoursBefore(now, 20 + i) });
  }
  await f.event({ actorId: "g1", type: "LIKE", postId: "p4", at: hoursBefore(now, 12) });
  // g1 and g2 talk; g2 has seen and hidden posts; g4 blocked g5.
  for (let i = 0; i < 4; i += 1) {
    await f.message({ id: `m-g1-${i}`, from: "g1", to: "g2", at: hoursBefore(now, 40 - 2 * i) });
    await f.message({ id: `m-g2-${i}`, from: "g2", to: "g1", at: hoursBefore(now, 39 - 2 * i) });
  }
  await f.event({ actorId: "g2", type: "SEEN", postId: "p1", at: hoursBefore(now, 3) });
  await f.event({ actorId: "g2", type: "HIDE", postId: "p4", at: hoursBefore(now, 3) });
  await f.event({ actorId: "g4", type: "BLOCK", targetUserId: "g5", at: daysBefore(now, 1) });
  await db.prisma.$executeRaw`
    INSERT INTO match_scores (viewer_user_id, candidate_user_id, score, reasons, computed_at, algorithm_version)
    VALUES ('g1', 'g4', 0.8, '[]', ${now}, 'fixture'), ('g4', 'g1', 0.8, '[]', ${now}, 'fixture')`;
}

const FAR_FUTURE = new Date("3000-01-01T00:00:00Z");
const FAR_PAST = new Date("1900-01-01T00:00:00Z");

/** The bad rows, inserted into one database only. */
async function seedBad(db: Database, f: Fx) {
  const sql = db.prisma;
  // bx: garbage in every field the schema lets through.
  await sql.$executeRaw`
    UPDATE users SET attributes = ARRAY[NULL, '', NULL]::text[], latitude = 'NaN',
      longitude = 'Infinity', birth_date = '1800-01-01', display_name = repeat('x', 100000),
      last_active_at = ${FAR_FUTURE}
    WHERE id = 'bx'`;
  await sql.$executeRaw`
    INSERT INTO user_interests (user_id, tag) VALUES ('bx', ''), ('bx', repeat('y', 5000))`;
  // Posts: NULL and empty tags, a 200 KB caption, negative media, far-away times, deleted
  // post, post by a deleted user.
  await f.post({ id: "pb-nulls", authorId: "bx", createdAt: hoursBefore(now, 7), mediaCount: 1 });
  await sql.$executeRaw`
    UPDATE posts SET tags = ARRAY[NULL, '', 'Coffee', NULL]::text[],
      caption = repeat('Follow me for deals. ', 10000), media_count = -3
    WHERE id = 'pb-nulls'`;
  await f.post({ id: "pb-future", authorId: "bx", createdAt: FAR_FUTURE });
  await f.post({ id: "pb-past", authorId: "bx", createdAt: FAR_PAST, updatedAt: FAR_FUTURE });
  await f.post({
    id: "pb-deleted",
    authorId: "by",
    createdAt: hoursBefore(now, 8),
    deletedAt: hoursBefore(now, 1),
  });
  await f.post({ id: "pb-of-deleted", authorId: "bdel", createdAt: hoursBefore(now, 8) });
  await f.post({ id: "pb-of-minor", authorId: "bminor", createdAt: hoursBefore(now, 8) });
  // Messages: to oneself, duplicates, far-away times, from a deleted user.
  const at = hoursBefore(now, 5);
  await f.message({ id: "mb-self-1", from: "bx", to: "bx", at });
  await f.message({ id: "mb-self-2", from: "bx", to: "bx", at: hoursBefore(now, 4) });
  await f.message({ id: "mb-dup-1", from: "bx", to: "by", at });
  await f.message({ id: "mb-dup-2", from: "bx", to: "by", at });
  await f.message({ id: "mb-future", from: "g1", to: "g2", at: FAR_FUTURE });
  await f.message({ id: "mb-past", from: "g2", to: "g1", at: FAR_PAST });
  await f.message({ id: "mb-deleted", from: "bdel", to: "g2", at });
  // Events: by a deleted user or a minor on a good post, on deleted posts, on oneself,
  // duplicates, far-away times, a post event whose target is not the author, no post at all.
  for (let i = 0; i < 3; i += 1) {
    await f.event({ actorId: "bdel", type: "LIKE", postId: "p1", at: minutesBefore(10 + i) });
    await f.event({ actorId: "bminor", type: "SHARE", postId: "p1", at: minutesBefore(10 + i) });
  }
  await f.event({ actorId: "g2", type: "LIKE", postId: "p1", at: FAR_FUTURE });
  await f.event({ actorId: "g3", type: "LIKE", postId: "p2", at: FAR_PAST });
  for (let i = 0; i < 12; i += 1) {
    await f.event({ actorId: "bx", type: "LIKE", postId: "py", at: minutesBefore(30) });
    await f.event({
      actorId: "bx",
      type: "COMMENT",
      postId: "pb-deleted",
      at: hoursBefore(now, 2),
    });
  }
  await f.event({
    actorId: "bx",
    type: "LIKE",
    postId: "pb-nulls",
    targetUserId: "bx",
    at: hoursBefore(now, 2),
  });
  await f.event({
    actorId: "bx",
    type: "LIKE",
    postId: "py",
    targetUserId: "bx",
    at: hoursBefore(now, 2),
  });
  await f.event({ actorId: "bx", type: "SHARE", targetUserId: "by", at: hoursBefore(now, 2) });
  await f.event({ actorId: "bx", type: "BLOCK", targetUserId: "bx", at: hoursBefore(now, 2) });
  await f.event({ actorId: "by", type: "HIDE", postId: "pb-deleted", at: hoursBefore(now, 2) });
  await f.event({ actorId: "by", type: "SEEN", postId: "pb-future", at: hoursBefore(now, 2) });
  // Match scores that are not numbers, next to a good suggestion of g1.
  await sql.$executeRaw`
    INSERT INTO match_scores (viewer_user_id, candidate_user_id, score, reasons, computed_at, algorithm_version)
    VALUES ('g1', 'bx', 'NaN', '[]', ${now}, 'fixture'), ('g1', 'by', 'Infinity', '[]', ${now}, 'fixture'),
           ('bx', 'by', '-Infinity', '[]', ${now}, 'fixture')`;
}

/** After content-features: features rows of bad posts that are not numbers or hold NULLs. */
async function spoilFeatures(db: Database) {
  await db.prisma.$executeRaw`
    UPDATE post_features SET topics = ARRAY[NULL, '', 'surf', NULL]::text[], quality = 'NaN',
      nsfw_score = 'Infinity', sentiment = '-Infinity'
    WHERE post_id IN ('py', 'pb-nulls')`;
  await db.prisma.$executeRaw`
    INSERT INTO trending_scores (post_id, popularity, velocity, is_trending, peak_time, expires_at,
                                 computed_at, algorithm_version)
    VALUES ('pb-past', 'NaN', 'Infinity', true, ${FAR_FUTURE}, ${FAR_FUTURE}, ${FAR_PAST}, 'fixture')
    ON CONFLICT DO NOTHING`;
}

async function run<Config extends Record<string, unknown>>(
  db: Database,
  job: JobDefinition<Config>,
  options: JobOptions = {},
): Promise<RunSummary> {
  const summary = await runJob(db, job, { asOf: now, options });
  expect(summary.error, `${job.name} ${JSON.stringify(options)}`).toBeNull();
  expect(summary.status).toBe("SUCCESS");
  return summary;
}

type Row = Record<string, unknown>;
const goodFeatures = (db: Database) => db.prisma.$queryRaw<Row[]>`
  SELECT post_id, topics, sentiment, quality, nsfw, nsfw_score, metadata, input_hash
  FROM post_features WHERE post_id = ANY(${GOOD_POSTS}::text[]) ORDER BY post_id`;
const goodTrending = (db: Database) => db.prisma.$queryRaw<Row[]>`
  SELECT * FROM trending_scores WHERE post_id = ANY(${GOOD_POSTS}::text[]) ORDER BY post_id`;
const goodCompatibility = (db: Database) => db.prisma.$queryRaw<Row[]>`
  SELECT viewer_user_id, target_user_id, score, factors FROM user_compatibility
  WHERE viewer_user_id = ANY(${GOOD}::text[]) AND target_user_id = ANY(${GOOD}::text[])
  ORDER BY viewer_user_id, target_user_id`;
const goodAffinity = (db: Database) => db.prisma.$queryRaw<Row[]>`
  SELECT * FROM user_affinity_profiles WHERE user_id = ANY(${GOOD}::text[]) ORDER BY user_id`;
const goodViewerState = (db: Database) => db.prisma.$queryRaw<Row[]>`
  SELECT * FROM viewer_feed_state WHERE viewer_user_id = ANY(${GOOD}::text[]) ORDER BY viewer_user_id`;

const excludedOf = (s: RunSummary) => (s.metadata.excluded ?? {}) as Record<string, number>;

describe(`every job on bad rows (${testDatabaseKind()})`, () => {
  let clean: Database;
  let dirty: Database;

  beforeAll(async () => {
    clean = await createTestDatabase();
    dirty = await createTestDatabase();
    await seedGood(clean, fixtures(clean, now));
    await seedGood(dirty, fixtures(dirty, now));
    await seedBad(dirty, fixtures(dirty, now));
  });
  afterAll(async () => {
    await clean?.close();
    await dirty?.close();
  });

  it("--post-id and --user-id of a bad row pass the scope check, which reads ids only", async () => {
    // A whole-row ORM read of such a row fails: the reason the check selects the id alone.
    await expect(dirty.prisma.post.findUnique({ where: { id: "pb-nulls" } })).rejects.toThrow(
      /tags/,
    );
    await expect(dirty.prisma.user.findUnique({ where: { id: "bx" } })).rejects.toThrow(
      /attributes/,
    );
    expect(await missingScopeTarget(dirty, { postId: "pb-nulls", userId: "bx" })).toBeNull();
  });

  it("content-features: scores the good posts alike, drops NULL tags, counts them", async () => {
    await run(clean, contentFeaturesJob);
    const changed = await run(dirty, contentFeaturesJob);
    expect(changed.itemsFailed).toBe(0);
    expect(excludedOf(changed)).toMatchObject({ nullTag: 2 });
    await run(dirty, contentFeaturesJob, { postId: "pb-nulls" });
    const all = await run(dirty, contentFeaturesJob, { all: true });
    expect(all.itemsFailed).toBe(0);
    expect(await goodFeatures(dirty)).toEqual(await goodFeatures(clean));
    const spam = await dirty.prisma.postFeatures.findUniqueOrThrow({
      where: { postId: "pb-nulls" },
    });
    expect(spam.topics).toContain("coffee");
    expect(spam.quality).toBeLessThan(0.1);
    expect(
      await dirty.prisma.postFeatures.findUnique({ where: { postId: "pb-future" } }),
    ).toBeNull();
    await spoilFeatures(dirty);
  });

  it("trending: scores the good posts alike, skipping actions of ineligible people", async () => {
    await run(clean, trendingJob);
    const summary = await run(dirty, trendingJob);
    expect(summary.itemsFailed).toBe(0);
    expect(excludedOf(summary)).toMatchObject({ actionsByIneligible: 6 });
    expect(await goodTrending(dirty)).toEqual(await goodTrending(clean));
    expect(await goodTrending(clean)).toHaveLength(2);
  });

  it("compatibility: scores the good pairs alike in every mode, skipping non-numeric suggestions", async () => {
    const dirtyIncremental = await run(dirty, compatibilityJob, { mode: "incremental" });
    expect(dirtyIncremental.itemsFailed).toBe(0);
    await run(dirty, compatibilityJob, { userId: "bx" });
    await run(dirty, compatibilityJob, { userId: "g1" });
    await run(clean, compatibilityJob);
    const full = await run(dirty, compatibilityJob);
    expect(full.itemsFailed).toBe(0);
    expect(excludedOf(full)).toMatchObject({ invalidMatchScore: 3 });
    const good = await goodCompatibility(clean);
    expect(good.length).toBeGreaterThan(0);
    expect(await goodCompatibility(dirty)).toEqual(good);
  });

  it("affinity: builds the good profiles alike in every mode, dropping NULL topics", async () => {
    await run(dirty, affinityJob, { mode: "incremental" });
    await run(dirty, affinityJob, { userId: "bx" });
    await run(clean, affinityJob);
    const full = await run(dirty, affinityJob);
    expect(full.itemsFailed).toBe(0);
    expect(excludedOf(full)).toMatchObject({ actionsByIneligible: 6, deleted: 1, minor: 1 });
    const good = await goodAffinity(clean);
    expect(good).toHaveLength(1);
    expect(await goodAffinity(dirty)).toEqual(good);
    const bx = await dirty.prisma.userAffinityProfile.findUniqueOrThrow({
      where: { userId: "bx" },
    });
    expect(JSON.stringify(bx.topTopics)).not.toMatch(/null|""/);
  });

  it("viewer-state: computes the good viewers alike in every mode", async () => {
    await run(dirty, viewerStateJob, { mode: "incremental" });
    await run(dirty, viewerStateJob, { userId: "bx" });
    await run(clean, viewerStateJob);
    const full = await run(dirty, viewerStateJob);
    expect(full.itemsFailed).toBe(0);
    expect(excludedOf(full)).toMatchObject({ deleted: 1, minor: 1 });
    const good = await goodViewerState(clean);
    expect(good.length).toBe(GOOD.length);
    expect(await goodViewerState(dirty)).toEqual(good);
  });

  it("cleanup: succeeds and removes only what has expired by now", async () => {
    await dirty.prisma.post.update({ where: { id: "p3" }, data: { deletedAt: FAR_FUTURE } });
    const summary = await run(dirty, cleanupJob);
    expect(summary.itemsFailed).toBe(0);
    expect(await dirty.prisma.postFeatures.findUnique({ where: { postId: "p3" } })).not.toBeNull();
    expect(await goodTrending(dirty)).toEqual(await goodTrending(clean));
  });
});
