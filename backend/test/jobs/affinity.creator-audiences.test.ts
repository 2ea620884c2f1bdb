import type { Database } from "@feed-jobs/db";
import { createTestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "../../src/demo/index.ts";
import { affinityJob } from "../../src/jobs/affinity/job.ts";
import {
  aggregateCreators,
  type CreatorRow,
  readStoredCreators,
  storeCreatorAudiences,
} from "../../src/jobs/affinity/signal-queries.ts";
import { contentFeaturesJob } from "../../src/jobs/contentFeatures/job.ts";
import { daysBefore } from "../support/fixtures.ts";
import { runForTest } from "../support/run.ts";

/**
 * A full run's shards read the creator audiences the run stored once; runs in place (and dry
 * runs) aggregate them per batch. Both must give the same audiences, and so the same profiles.
 */

const T = new Date("2026-03-01T12:00:00.000Z");
const window = { start: daysBefore(T, 90), now: T };

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

const byCreator = (rows: readonly CreatorRow[]) =>
  [...rows].sort((a, b) => (a.creator_id < b.creator_id ? -1 : 1));

/** Every stored profile but the time it was computed, by user. */
const profiles = async () =>
  (await db.prisma.userAffinityProfile.findMany({ orderBy: { userId: "asc" } })).map(
    ({ computedAt: _computedAt, ...profile }) => profile,
  );

describe(`affinity creator audiences, stored once or aggregated per batch (${testDatabaseKind()})`, () => {
  it("stores every user's audience exactly as a batch aggregates it", async () => {
    // One creator becomes ineligible, and so do the actions of one of their fans.
    const [creator, fan] = userIds;
    await db.prisma.user.update({ where: { id: creator as string }, data: { deactivatedAt: T } });
    await db.prisma.user.update({ where: { id: fan as string }, data: { deletedAt: T } });
    const events = await storeCreatorAudiences(db.prisma, window);
    const aggregated = await aggregateCreators(db.prisma, userIds, window);
    const stored = await readStoredCreators(db.prisma, userIds);
    expect(byCreator(stored.rows)).toEqual(byCreator(aggregated.rows));
    expect(stored.rows).toHaveLength(userIds.length);
    expect(events).toBe(aggregated.rowsRead);
    expect(stored.rows.some((r) => !r.available)).toBe(true);
    expect(stored.rows.some((r) => r.ineligible_events > 0)).toBe(true);
    expect(stored.rows.filter((r) => r.audience > 1).length).toBeGreaterThan(5);
  });

  it("a full run (stored audiences) gives every user the profile a run for that user gives", async () => {
    await runForTest(db, affinityJob, T, { mode: "full" });
    const full = await profiles();
    expect(full.length).toBeGreaterThan(5);
    expect(full.some((p) => (p.topCreators as unknown[]).length > 1)).toBe(true);
    await db.prisma.userAffinityProfile.deleteMany();
    for (const userId of userIds) await runForTest(db, affinityJob, T, { userId });
    expect(await profiles()).toEqual(full);
  });
});
