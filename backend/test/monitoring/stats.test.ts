import type { Database } from "@feed-jobs/db";
import { createTestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import { defineJob, enqueue, withQueue } from "@feed-jobs/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { outputTableOf } from "../../src/monitoring/output-tables.ts";
import { insertSnapshot } from "../../src/monitoring/snapshot-queries.ts";
import { computeStats } from "../../src/monitoring/stats.ts";
import { fixtures } from "../support/fixtures.ts";
import { hoursBefore, insertRun } from "./support.ts";

const NOW = new Date("2026-03-10T12:00:00.000Z");
const matchScores = outputTableOf("match-scores");
if (!matchScores) throw new Error("match_scores is a monitored table");

/** Stands in for the real job: stats need only its name and runtime budget. */
const matchScoresJob = defineJob({
  name: "match-scores",
  description: "stand-in",
  algorithmVersion: "t1",
  schedules: [],
  config: z.strictObject({}),
  budget: { maxRowsScanned: 1, maxRowsWritten: 1, maxRuntimeMs: 900 },
  accepts: [],
  run: async () => undefined,
});

let db: Database;
let latestRun: string;
beforeAll(async () => {
  db = await createTestDatabase();
  // Ten CRON runs in the window, 100 … 1000 ms: 8 succeeded, 1 failed, 1 cancelled.
  for (let i = 1; i <= 10; i++) {
    latestRun = await insertRun(db, {
      jobName: "match-scores",
      status: i === 3 ? "FAILED" : i === 4 ? "CANCELLED" : "SUCCESS",
      startedAt: hoursBefore(NOW, 11 - i),
      duration: i * 100,
      itemsProcessed: 20,
      itemsFailed: i === 5 ? 10 : 0,
      overBudget: i >= 9,
    });
  }
  await insertRun(db, {
    jobName: "match-scores",
    status: "FAILED",
    startedAt: hoursBefore(NOW, 30),
  });
  await insertRun(db, {
    jobName: "match-scores",
    status: "SUCCESS",
    trigger: "EVENT",
    startedAt: hoursBefore(NOW, 1),
  });
  await withQueue(db, ["match-scores"], (queue) =>
    enqueue(queue, { name: "match-scores", accepts: ["userId"] }, { userId: "u1" }, { now: NOW }),
  );

  const f = fixtures(db, NOW);
  for (const id of ["u1", "u2", "u3", "u4", "u5", "gone"]) {
    await f.user({ id, ...(id === "gone" ? { deletedAt: hoursBefore(NOW, 1) } : {}) });
  }
  // Users match-scores cannot score: not in its coverage's denominator.
  await f.user({ id: "minor", age: 17 });
  await f.user({ id: "idle", lastActiveAt: hoursBefore(NOW, 31 * 24) });
  await f.user({ id: "no-gender", gender: null });
  const rows = [
    { viewer: "u1", score: 0.2, computed: 1 },
    { viewer: "u1", score: 0.4, computed: 1 },
    { viewer: "u2", score: 0.6, computed: 40 },
    { viewer: "u4", score: 0.8, computed: 2 },
    { viewer: "gone", score: 1, computed: 200 },
  ];
  await db.prisma.matchScore.createMany({
    data: rows.map((row, i) => ({
      viewerUserId: row.viewer,
      candidateUserId: ["u5", "u3", "u1", "u2", "u4"][i] as string,
      score: row.score,
      reasons: [],
      computedAt: hoursBefore(NOW, row.computed),
      algorithmVersion: "t1",
    })),
  });
  // The job's per-viewer bookkeeping, which coverage reads (a viewer may have no candidates).
  await db.prisma.matchScoreViewer.createMany({
    data: [
      { viewer: "u1", computed: 1, count: 2 },
      { viewer: "u2", computed: 40, count: 1 },
      { viewer: "u4", computed: 2, count: 1 },
      { viewer: "gone", computed: 200, count: 1 },
    ].map((v) => ({
      viewerUserId: v.viewer,
      computedAt: hoursBefore(NOW, v.computed),
      algorithmVersion: "t1",
      candidateCount: v.count,
    })),
  });
});
afterAll(async () => {
  await db.close();
});

const stats = () =>
  computeStats(db, { now: NOW, catalog: [matchScoresJob], tables: [matchScores] });

describe(`stats (${testDatabaseKind()})`, () => {
  it("reports runs, success rate, duration quantiles, items per run and budget breaches per job and trigger", async () => {
    const report = await stats();
    const cron = report.jobs.find((j) => j.job === "match-scores" && j.trigger === "CRON");
    expect(cron).toMatchObject({
      runs: 10,
      succeeded: 8,
      failed: 1,
      cancelled: 1,
      itemsPerRun: { processed: 20, failed: 1 },
      budgetBreaches: 2,
      slaMs: 900,
      lastRun: { id: latestRun, durationMs: 1000 },
    });
    expect(cron?.successRate).toBeCloseTo(8 / 9);
    expect(cron?.durationMs?.p50).toBeCloseTo(550);
    expect(cron?.durationMs?.p95).toBeCloseTo(955);
    expect(cron?.durationMs?.p99).toBeCloseTo(991);
    expect(report.jobs.find((j) => j.trigger === "EVENT")).toMatchObject({
      runs: 1,
      successRate: 1,
    });
    expect(report.queue).toMatchObject({ depth: 1, counts: { created: 1, failed: 0 } });
  });

  it("reports coverage of eligible users and the age of the oldest row", async () => {
    const [table] = (await stats()).tables;
    // Users match-scores can score, u1…u5 (not the deleted, the minor, the inactive or the one
    // without a gender): u1 and u4 were scored in the last 30 h, u2 40 h ago, u3 and u5 never.
    expect(table).toMatchObject({ table: "match_scores", eligible: 5, covered: 2, coverage: 0.4 });
    expect(table?.stalenessMs).toBe(40 * 3_600_000);
  });

  it("reports the score distribution and flags drift against the previous run's snapshot", async () => {
    const similar = { p05: 0.24, p25: 0.4, p50: 0.6, p75: 0.8, p95: 0.96, mean: 0.6 };
    const [before] = (await stats()).tables;
    expect(before?.distribution?.rows).toBe(5);
    for (const [key, value] of Object.entries(similar))
      expect(before?.distribution?.quantiles[key as keyof typeof similar]).toBeCloseTo(value);
    expect(before?.drift).toBeNull();
    const previousRun = await insertRun(db, {
      jobName: "match-scores",
      status: "SUCCESS",
      startedAt: hoursBefore(NOW, 20),
    });
    await insertSnapshot(db, {
      runId: previousRun,
      jobName: "match-scores",
      tableName: "match_scores",
      takenAt: hoursBefore(NOW, 20),
      rows: 5,
      quantiles: similar,
    });
    const [steady] = (await stats()).tables;
    expect(steady?.previous?.runId).toBe(previousRun);
    expect(steady?.drift).toBeCloseTo(0);
    expect(steady?.drifted).toBe(false);
    const shifted = { p05: 0.04, p25: 0.1, p50: 0.2, p75: 0.3, p95: 0.4, mean: 0.2 };
    const olderRun = await insertRun(db, {
      jobName: "match-scores",
      status: "SUCCESS",
      startedAt: hoursBefore(NOW, 19),
    });
    await insertSnapshot(db, {
      runId: olderRun,
      jobName: "match-scores",
      tableName: "match_scores",
      takenAt: hoursBefore(NOW, 19),
      rows: 5,
      quantiles: shifted,
    });
    const [drifted] = (await stats()).tables;
    expect(drifted?.previous?.runId).toBe(olderRun);
    expect(drifted?.drifted).toBe(true);
    // The latest successful run's own snapshot is the live distribution, never "the previous run".
    await insertSnapshot(db, {
      runId: latestRun,
      jobName: "match-scores",
      tableName: "match_scores",
      takenAt: NOW,
      rows: 5,
      quantiles: similar,
    });
    expect((await stats()).tables[0]?.previous?.runId).toBe(olderRun);
  });
});
