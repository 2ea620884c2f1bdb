import { testDatabaseKind } from "@feed-jobs/db/testing";
import { describe, expect, it } from "vitest";
import { compatibilityJob } from "../../src/jobs/compatibility/job.ts";
import {
  aggregateTopicProfiles,
  readStoredTopicProfiles,
  storeTopicProfiles,
  type TopicRow,
} from "../../src/jobs/compatibility/queries.ts";
import { useDemoPopulation } from "../support/demo-population.ts";
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

const demo = useDemoPopulation(T);

const sorted = (rows: readonly TopicRow[]) =>
  rows.map((r) => `${r.user_id} ${r.topic} ${r.engagements}`).sort();

const rowsOf = (table: string) =>
  demo.db.prisma.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT * FROM ${table} ORDER BY viewer_user_id, target_user_id`,
  );

describe(`compatibility topic profiles, stored once or aggregated per batch (${testDatabaseKind()})`, () => {
  it("stores every user's strongest topics exactly as a batch aggregates them", async () => {
    const topicsPerUser = 3;
    const rowsRead = await storeTopicProfiles(demo.db.prisma, window, topicsPerUser);
    const aggregated = await aggregateTopicProfiles(
      demo.db.prisma,
      demo.userIds,
      window,
      topicsPerUser,
    );
    const stored = await readStoredTopicProfiles(demo.db.prisma, demo.userIds);
    expect(sorted(stored.rows)).toEqual(sorted(aggregated.rows));
    expect(rowsRead).toBe(aggregated.rowsRead);
    expect(rowsRead).toBeGreaterThan(aggregated.rows.length);
    // The cut at topicsPerUser is exercised: some user engaged with more topics than kept.
    const uncut = await aggregateTopicProfiles(demo.db.prisma, demo.userIds, window, 1000);
    expect(uncut.rows.length).toBeGreaterThan(stored.rows.length);
    const perUser = new Map<string, number>();
    for (const r of stored.rows) perUser.set(r.user_id, (perUser.get(r.user_id) ?? 0) + 1);
    expect([...perUser.values()]).toContain(topicsPerUser);
    // A second store replaces the first: nothing of another window is left behind.
    await storeTopicProfiles(demo.db.prisma, { ...window, now: daysBefore(T, 60) }, topicsPerUser);
    const older = await readStoredTopicProfiles(demo.db.prisma, demo.userIds);
    const olderAggregated = await aggregateTopicProfiles(
      demo.db.prisma,
      demo.userIds,
      { ...window, now: daysBefore(T, 60) },
      topicsPerUser,
    );
    expect(sorted(older.rows)).toEqual(sorted(olderAggregated.rows));
  });

  it("a full run (stored profiles) writes the rows a first incremental run (aggregated) writes", async () => {
    await runForTest(demo.db, compatibilityJob, T, { mode: "full" });
    const fullRows = await rowsOf("user_compatibility");
    const withSharedTopics = fullRows.filter(
      (r) => (r.factors as { mutualInterest: { value: number } }).mutualInterest.value > 0,
    );
    expect(withSharedTopics.length).toBeGreaterThan(0);
    await demo.db.prisma.userCompatibility.deleteMany();
    await demo.db.prisma.jobRun.deleteMany({ where: { jobName: "compatibility" } });
    // No complete run before it: an incremental run scores everyone, in place.
    await runForTest(demo.db, compatibilityJob, T, { mode: "incremental" });
    expect(await rowsOf("user_compatibility")).toEqual(fullRows);
  });
});
