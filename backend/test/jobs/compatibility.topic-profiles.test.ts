import type { Database } from "@feed-jobs/db";
import { createTestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "../../src/demo/index.ts";
import { compatibilityJob } from "../../src/jobs/compatibility/job.ts";
import {
  aggregateTopicProfiles,
  readStoredTopicProfiles,
  storeTopicProfiles,
  type TopicRow,
} from "../../src/jobs/compatibility/queries.ts";
import { contentFeaturesJob } from "../../src/jobs/contentFeatures/job.ts";
import { daysBefore } from "../support/fixtures.ts";
import { runForTest } from "../support/run.ts";

/**
 * A full run's shards read the topic profiles the run stored once; runs in place (and dry runs)
 * aggregate them per batch. Both must give the same profiles, and so the same rows.
 */

const T = new Date("2026-03-01T12:00:00.000Z");
const window = {
  from: daysBefore(T, 90),
  recentFrom: daysBefore(T, 30),
  now: T,
  messageHalfLifeDays: 30,
};

let db: Database;
let userIds: string[];

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoData(db, { users: 40, now: T });
  await runForTest(db, contentFeaturesJob, T, { all: true });
  userIds = (await db.prisma.user.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map(
    (u) => u.id,
  );
}, 300_000);
afterAll(async () => {
  await db?.close();
});

const sorted = (rows: readonly TopicRow[]) =>
  rows.map((r) => `${r.user_id} ${r.topic} ${r.engagements}`).sort();

const rowsOf = (table: string) =>
  db.prisma.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT * FROM ${table} ORDER BY viewer_user_id, target_user_id`,
  );

describe(`compatibility topic profiles, stored once or aggregated per batch (${testDatabaseKind()})`, () => {
  it("stores every user's strongest topics exactly as a batch aggregates them", async () => {
    const topicsPerUser = 3;
    const rowsRead = await storeTopicProfiles(db.prisma, window, topicsPerUser);
    const aggregated = await aggregateTopicProfiles(db.prisma, userIds, window, topicsPerUser);
    const stored = await readStoredTopicProfiles(db.prisma, userIds);
    expect(sorted(stored.rows)).toEqual(sorted(aggregated.rows));
    expect(rowsRead).toBe(aggregated.rowsRead);
    // The cut at topicsPerUser is exercised: some user engaged with more topics than kept.
    expect(rowsRead).toBeGreaterThan(aggregated.rows.length);
    const perUser = new Map<string, number>();
    for (const r of stored.rows) perUser.set(r.user_id, (perUser.get(r.user_id) ?? 0) + 1);
    expect([...perUser.values()]).toContain(topicsPerUser);
    // A second store replaces the first: nothing of another window is left behind.
    await storeTopicProfiles(db.prisma, { ...window, now: daysBefore(T, 60) }, topicsPerUser);
    const older = await readStoredTopicProfiles(db.prisma, userIds);
    const olderAggregated = await aggregateTopicProfiles(
      db.prisma,
      userIds,
      { ...window, now: daysBefore(T, 60) },
      topicsPerUser,
    );
    expect(sorted(older.rows)).toEqual(sorted(olderAggregated.rows));
  });

  it("a full run (stored profiles) writes the rows a first incremental run (aggregated) writes", async () => {
    await runForTest(db, compatibilityJob, T, { mode: "full" });
    const fullRows = await rowsOf("user_compatibility");
    const withSharedTopics = fullRows.filter(
      (r) => (r.factors as { mutualInterest: { value: number } }).mutualInterest.value > 0,
    );
    expect(withSharedTopics.length).toBeGreaterThan(0);
    await db.prisma.userCompatibility.deleteMany();
    await db.prisma.jobRun.deleteMany({ where: { jobName: "compatibility" } });
    // No complete run before it: an incremental run scores everyone, in place.
    await runForTest(db, compatibilityJob, T, { mode: "incremental" });
    expect(await rowsOf("user_compatibility")).toEqual(fullRows);
  });
});
