import { testDatabaseKind } from "@feed-jobs/db/testing";
import { describe, expect, it } from "vitest";
import { affinityJob } from "../../src/jobs/affinity/job.ts";
import {
  aggregateCreators,
  type CreatorRow,
  readStoredCreators,
  storeCreatorAudiences,
} from "../../src/jobs/affinity/signal-queries.ts";
import { useDemoPopulation } from "../support/demo-population.ts";
import { daysBefore } from "../support/fixtures.ts";
import { runForTest } from "../support/run.ts";

/**
 * A full run's shards read the creator audiences the run stored once; runs in place (and dry
 * runs) aggregate them per batch. Both must give the same audiences, and so the same profiles.
 */

const T = new Date("2026-03-01T12:00:00.000Z");
const window = { start: daysBefore(T, 90), now: T };

const demo = useDemoPopulation(T);

const byCreator = (rows: readonly CreatorRow[]) =>
  [...rows].sort((a, b) => (a.creator_id < b.creator_id ? -1 : 1));

/** Every stored profile but the time it was computed, by user. */
const profiles = async () =>
  (await demo.db.prisma.userAffinityProfile.findMany({ orderBy: { userId: "asc" } })).map(
    ({ computedAt: _computedAt, ...profile }) => profile,
  );

describe(`affinity creator audiences, stored once or aggregated per batch (${testDatabaseKind()})`, () => {
  it("stores every user's audience exactly as a batch aggregates it", async () => {
    // One creator becomes ineligible, and so do the actions of one of their fans.
    const [creator, fan] = demo.userIds;
    await demo.db.prisma.user.update({
      where: { id: creator as string },
      data: { deactivatedAt: T },
    });
    await demo.db.prisma.user.update({ where: { id: fan as string }, data: { deletedAt: T } });
    const events = await storeCreatorAudiences(demo.db.prisma, window);
    const aggregated = await aggregateCreators(demo.db.prisma, demo.userIds, window);
    const stored = await readStoredCreators(demo.db.prisma, demo.userIds);
    expect(byCreator(stored.rows)).toEqual(byCreator(aggregated.rows));
    expect(stored.rows).toHaveLength(demo.userIds.length);
    expect(events).toBe(aggregated.rowsRead);
    expect(stored.rows.some((r) => !r.available)).toBe(true);
    expect(stored.rows.some((r) => r.ineligible_events > 0)).toBe(true);
    expect(stored.rows.filter((r) => r.audience > 1).length).toBeGreaterThan(5);
  });

  it("a full run (stored audiences) gives every user the profile a run for that user gives", async () => {
    await runForTest(demo.db, affinityJob, T, { mode: "full" });
    const full = await profiles();
    expect(full.length).toBeGreaterThan(5);
    expect(full.some((p) => (p.topCreators as unknown[]).length > 1)).toBe(true);
    await demo.db.prisma.userAffinityProfile.deleteMany();
    for (const userId of demo.userIds) await runForTest(demo.db, affinityJob, T, { userId });
    expect(await profiles()).toEqual(full);
  });
});
