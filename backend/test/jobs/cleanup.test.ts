import type { Database } from "@feed-jobs/db";
import { createTestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import { runJob } from "@feed-jobs/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAction } from "../../src/dashboard/audit.ts";
import { cleanupJob } from "../../src/jobs/cleanup/job.ts";
import { insertSnapshot } from "../../src/monitoring/snapshot-queries.ts";
import { hoursBefore, insertRun } from "../monitoring/support.ts";
import { fixtures } from "../support/fixtures.ts";
import { runForTest } from "../support/run.ts";

const NOW = new Date("2026-03-15T02:00:00.000Z");
const DAY = 24;
const quantiles = { p05: 0, p25: 0.2, p50: 0.5, p75: 0.7, p95: 0.9, mean: 0.5 };

let db: Database;
const ids: Record<string, string> = {};
beforeAll(async () => {
  db = await createTestDatabase();
  const f = fixtures(db, NOW);
  await f.user({ id: "alive" });
  await f.user({ id: "gone", deletedAt: hoursBefore(NOW, DAY) });
  await f.post({ id: "post-alive", authorId: "alive", createdAt: hoursBefore(NOW, 2) });
  await f.post({
    id: "post-gone",
    authorId: "alive",
    createdAt: hoursBefore(NOW, 3),
    deletedAt: hoursBefore(NOW, 1),
  });
  await f.post({ id: "post-old", authorId: "alive", createdAt: hoursBefore(NOW, 5 * DAY) });

  ids.oldRun = await insertRun(db, {
    jobName: "trending",
    status: "SUCCESS",
    startedAt: hoursBefore(NOW, 100 * DAY),
  });
  ids.oldRunning = await insertRun(db, {
    jobName: "trending",
    status: "RUNNING",
    startedAt: hoursBefore(NOW, 100 * DAY),
  });
  ids.recentRun = await insertRun(db, {
    jobName: "trending",
    status: "SUCCESS",
    startedAt: hoursBefore(NOW, 2 * DAY),
    itemsProcessed: 7,
  });
  ids.todayRun = await insertRun(db, {
    jobName: "trending",
    status: "FAILED",
    startedAt: hoursBefore(NOW, 1),
    itemsProcessed: 3,
  });
  await insertSnapshot(db, {
    runId: ids.oldRun,
    jobName: "trending",
    tableName: "trending_scores",
    takenAt: hoursBefore(NOW, 100 * DAY),
    rows: 1,
    quantiles,
  });

  // The audit outlives the runs it names: 100 days is past the runs' 90, within the audit's 365.
  for (const [target, days] of [
    ["past-runs", 100],
    ["past-audit", 400],
  ] as const) {
    await recordAction(db, {
      at: hoursBefore(NOW, days * DAY),
      actor: "ops",
      via: "header",
      address: null,
      action: "pause",
      target,
      detail: null,
      outcome: "done",
      runId: null,
    });
  }

  await db.prisma.schedulerTick.createMany({
    data: [
      { key: "trending/every-15-min:old", claimedBy: "a", claimedAt: hoursBefore(NOW, 8 * DAY) },
      { key: "trending/every-15-min:new", claimedBy: "a", claimedAt: hoursBefore(NOW, 1) },
    ],
  });
  const trending = (postId: string, expiresInHours: number) => ({
    postId,
    computedAt: hoursBefore(NOW, 0.1),
    expiresAt: hoursBefore(NOW, -expiresInHours),
    algorithmVersion: "t1",
  });
  await db.prisma.trendingScore.createMany({
    data: [trending("post-alive", 24), trending("post-old", -1), trending("post-gone", 24)],
  });
  await db.prisma.postFeatures.createMany({
    data: ["post-alive", "post-gone"].map((postId) => ({
      postId,
      topics: [],
      inputHash: "h",
      computedAt: NOW,
      algorithmVersion: "t1",
    })),
  });
  const score = (viewerUserId: string, candidateUserId: string) => ({
    viewerUserId,
    candidateUserId,
    score: 0.5,
    reasons: [],
    computedAt: NOW,
    algorithmVersion: "t1",
  });
  await db.prisma.matchScore.createMany({
    data: [score("alive", "gone"), score("gone", "alive"), score("alive", "alive")],
  });
  await db.prisma.userCompatibility.createMany({
    data: [
      {
        viewerUserId: "alive",
        targetUserId: "gone",
        score: 0.5,
        factors: {},
        computedAt: NOW,
        algorithmVersion: "t1",
      },
      {
        viewerUserId: "alive",
        targetUserId: "alive",
        score: 0.5,
        factors: {},
        computedAt: NOW,
        algorithmVersion: "t1",
      },
    ],
  });
  await db.prisma.userAffinityProfile.create({
    data: {
      userId: "gone",
      topCreators: [],
      topTopics: [],
      contentTypePrefs: {},
      algorithmVersion: "t1",
    },
  });
});
afterAll(async () => {
  await db.close();
});

describe(`cleanup job (${testDatabaseKind()})`, () => {
  it("in a dry run counts what it would remove and changes nothing", async () => {
    const summary = await runForTest(db, cleanupJob, NOW, { dryRun: true });
    expect(summary.result).toMatchObject({
      dryRun: true,
      aggregated: null,
      removed: {
        job_runs: 1,
        operator_actions: 1,
        scheduler_ticks: 1,
        "match_scores (deleted users)": 2,
      },
    });
    expect(await db.prisma.jobRun.count({ where: { jobName: "trending" } })).toBe(4);
    expect(await db.prisma.jobDailyStat.count()).toBe(0);
  });

  it("expires old runs (with their snapshots) and ticks, and removes orphaned and expired scores", async () => {
    const summary = await runForTest(db, cleanupJob, NOW);
    expect(summary.result).toMatchObject({
      removed: {
        job_runs: 1,
        operator_actions: 1,
        scheduler_ticks: 1,
        "trending_scores (expired)": 1,
        "trending_scores (deleted posts)": 1,
        "post_features (deleted posts)": 1,
        "match_scores (deleted users)": 2,
        "user_compatibility (deleted users)": 1,
        "user_affinity_profiles (deleted users)": 1,
      },
    });
    const runIds = (await db.prisma.jobRun.findMany({ where: { jobName: "trending" } }))
      .map((r) => r.id)
      .sort();
    expect(runIds).toEqual([ids.oldRunning, ids.recentRun, ids.todayRun].sort());
    expect(await db.prisma.scoreSnapshot.count()).toBe(0);
    const actions = await db.prisma.operatorAction.findMany({ select: { target: true } });
    expect(actions.map((a) => a.target)).toEqual(["past-runs"]);
    expect((await db.prisma.schedulerTick.findMany()).map((t) => t.key)).toEqual([
      "trending/every-15-min:new",
    ]);
    expect((await db.prisma.trendingScore.findMany()).map((t) => t.postId)).toEqual(["post-alive"]);
    expect((await db.prisma.postFeatures.findMany()).map((t) => t.postId)).toEqual(["post-alive"]);
    expect(await db.prisma.matchScore.count()).toBe(1);
    expect(await db.prisma.userCompatibility.count()).toBe(1);
    expect(await db.prisma.userAffinityProfile.count()).toBe(0);
  });

  it("writes a daily aggregate per job for the days whose runs are all kept, with today's coverage", async () => {
    const days = await db.prisma.jobDailyStat.findMany({ orderBy: { day: "asc" } });
    expect(
      days.map((d) => [
        d.day.toISOString().slice(0, 10),
        d.jobName,
        d.runs,
        d.succeeded,
        d.failed,
        d.itemsProcessed,
      ]),
    ).toEqual([
      ["2026-03-13", "trending", 1, 1, 0, 7],
      ["2026-03-15", "trending", 1, 0, 1, 3],
    ]);
    // Trending's eligible posts are the non-deleted ones of the last 48 h: post-alive, scored 6 min ago.
    expect(days[1]?.coverage).toBe(1);
    expect(days[0]?.coverage).toBeNull();
  });

  it("keeps operator actions at least as long as runs: a shorter audit retention is refused", async () => {
    const shorter = { retentionDays: 90, auditRetentionDays: 30 };
    await expect(runJob(db, cleanupJob, { asOf: NOW, overrides: shorter })).rejects.toThrow(
      '"auditRetentionDays": auditRetentionDays must be at least retentionDays',
    );
    expect(await db.prisma.operatorAction.count()).toBe(1);
  });
});
