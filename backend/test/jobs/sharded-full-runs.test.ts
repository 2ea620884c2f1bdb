import { abandonRebuild, type Database, startRebuild } from "@feed-jobs/db";
import { createTestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import type { JobContext, JobDefinition, JobOptions, RunSummary } from "@feed-jobs/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "../../src/demo/index.ts";
import { affinityJob } from "../../src/jobs/affinity/job.ts";
import { compatibilityJob } from "../../src/jobs/compatibility/job.ts";
import { contentFeaturesJob } from "../../src/jobs/contentFeatures/job.ts";
import { daysBefore } from "../support/fixtures.ts";
import { runForTest } from "../support/run.ts";

/**
 * A full run cut into several small shards leaves the same table, row for row and column for
 * column, as the same run in one shard, from the same start: two databases seeded alike, each
 * with the same earlier run, then the run under test at the same clock.
 */

const T = new Date("2026-03-01T12:00:00.000Z");
const EARLIER = daysBefore(T, 3);
const ONE_SHARD = { shardSize: 1_000_000 };
const SMALL_SHARDS = { shardSize: 7 };

let one: Database;
let many: Database;

beforeAll(async () => {
  [one, many] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  for (const db of [one, many]) await seedDemoData(db, { users: 40, now: T });
}, 300_000);
afterAll(async () => {
  await Promise.all([one?.close(), many?.close()]);
});

/** Every row of `table` (every column), in key order. */
const rowsOf = (db: Database, table: string, key: string) =>
  db.prisma.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT * FROM ${table} ORDER BY ${key}`);

const shardsOf = (summary: RunSummary) => (summary.metadata.shards as unknown[] | undefined) ?? [];

/** Runs `job` at `at` on both databases, in one shard and in small ones. */
async function runBoth<Config extends Record<string, unknown>>(
  job: JobDefinition<Config>,
  at: Date,
  options: JobOptions,
) {
  const single = await runForTest(one, job, at, options, ONE_SHARD);
  const sharded = await runForTest(many, job, at, options, SMALL_SHARDS);
  return { single, sharded };
}

describe(`sharded full runs on a demo population (${testDatabaseKind()})`, () => {
  it("content-features --all: the same post_features, also for posts created after its clock", async () => {
    // The run under test is as of EARLIER: the rows of later posts are kept as they are.
    await runBoth(contentFeaturesJob, T, { all: true });
    const { single, sharded } = await runBoth(contentFeaturesJob, EARLIER, { all: true });
    expect(shardsOf(single)).toHaveLength(1);
    expect(shardsOf(sharded).length).toBeGreaterThan(2);
    expect(sharded.result).toEqual(single.result);
    expect(sharded.metadata.excluded).toEqual(single.metadata.excluded);
    const rows = await rowsOf(one, "post_features", "post_id");
    expect(rows.some((r) => (r.computed_at as Date).getTime() === T.getTime())).toBe(true);
    expect(await rowsOf(many, "post_features", "post_id")).toEqual(rows);
  });

  it("compatibility full: the same user_compatibility and the same top pairs of a dry run", async () => {
    await runBoth(compatibilityJob, EARLIER, { mode: "full" });
    const { single, sharded } = await runBoth(compatibilityJob, T, { mode: "full" });
    expect(shardsOf(sharded).length).toBeGreaterThan(2);
    const { meanScore, ...counts } = single.result as { meanScore: number };
    expect(sharded.result).toEqual({ ...counts, meanScore: expect.closeTo(meanScore, 3) });
    expect(sharded.metadata.rowsWritten).toBe(single.metadata.rowsWritten);
    const rows = await rowsOf(one, "user_compatibility", "viewer_user_id, target_user_id");
    expect(rows.length).toBeGreaterThan(10);
    expect(await rowsOf(many, "user_compatibility", "viewer_user_id, target_user_id")).toEqual(
      rows,
    );
    const dry = await runBoth(compatibilityJob, T, { mode: "full", dryRun: true });
    expect((dry.sharded.result as { top: unknown[] }).top).toEqual(
      (dry.single.result as { top: unknown[] }).top,
    );
  });

  it("affinity full: the same user_affinity_profiles and the same preview of a dry run", async () => {
    await runBoth(affinityJob, EARLIER, { mode: "full" });
    const { single, sharded } = await runBoth(affinityJob, T, { mode: "full" });
    expect(shardsOf(sharded).length).toBeGreaterThan(2);
    expect(sharded.result).toEqual(single.result);
    expect(sharded.metadata.excluded).toEqual(single.metadata.excluded);
    const rows = await rowsOf(one, "user_affinity_profiles", "user_id");
    expect(rows.length).toBeGreaterThan(5);
    expect(await rowsOf(many, "user_affinity_profiles", "user_id")).toEqual(rows);
    const dry = await runBoth(affinityJob, T, { mode: "full", dryRun: true });
    expect(dry.sharded.result).toEqual(dry.single.result);
  });

  it("validateRebuild passes the copies a run fills and refuses a row of an ineligible person", async () => {
    const tables = ["user_compatibility", "user_affinity_profiles", "post_features"];
    const [post] = await many.prisma.$queryRaw<{ id: string; author: string }[]>`
      SELECT p.id, p.author_id AS author FROM post_features f JOIN posts p ON p.id = f.post_id
      ORDER BY p.id LIMIT 1`;
    const gone = post?.author as string;
    const ctx = { db: many, now: T } as JobContext<never>;
    const validators = [compatibilityJob, affinityJob, contentFeaturesJob].map(
      (job) => () => job.validateRebuild?.(ctx as never),
    );
    await startRebuild(many.prisma, tables);
    try {
      await many.prisma.$executeRawUnsafe(
        "INSERT INTO user_compatibility_rebuild SELECT * FROM user_compatibility LIMIT 1",
      );
      await many.prisma.$executeRawUnsafe(
        "INSERT INTO user_affinity_profiles_rebuild SELECT * FROM user_affinity_profiles LIMIT 1",
      );
      await many.prisma.$executeRaw`
        INSERT INTO post_features_rebuild SELECT * FROM post_features WHERE post_id = ${post?.id}`;
      for (const validate of validators) await expect(validate()).resolves.toBeUndefined();
      await many.prisma.user.update({ where: { id: gone }, data: { deactivatedAt: EARLIER } });
      await many.prisma.$executeRaw`UPDATE user_compatibility_rebuild SET target_user_id = ${gone}`;
      await many.prisma.$executeRaw`UPDATE user_affinity_profiles_rebuild SET user_id = ${gone}`;
      for (const validate of validators) await expect(validate()).rejects.toThrow(/not eligible/);
    } finally {
      await abandonRebuild(many.prisma, tables);
    }
  });
});
