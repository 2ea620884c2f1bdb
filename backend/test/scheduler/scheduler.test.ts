import type { Database } from "@feed-jobs/db";
import { createTestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import { enqueue, requestCancel } from "@feed-jobs/jobs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pauseJob, resumeJob } from "../../src/scheduler/controls.ts";
import { fixtures } from "../support/fixtures.ts";
import { eventually, startTestScheduler } from "./support/in-process.ts";
import { eventJob, slowJob, tickJob } from "./support/test-jobs.ts";

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
  const f = fixtures(db, new Date());
  await f.user({ id: "author" });
  for (const id of ["post-1", "bad-1", "post-2"])
    await f.post({ id, authorId: "author", createdAt: new Date() });
});
afterAll(async () => {
  await db.close();
});
beforeEach(async () => {
  await db.prisma.jobRun.deleteMany();
  await db.prisma.jobRequest.deleteMany();
  await db.prisma.jobControl.deleteMany();
});

const runsOf = (jobName: string) =>
  db.prisma.jobRun.findMany({ where: { jobName }, orderBy: { startedAt: "asc" } });

describe(`scheduler (${testDatabaseKind()})`, () => {
  it("runs a job's ticks with trigger CRON, as of each tick's scheduled time", async () => {
    const scheduler = await startTestScheduler(db, [tickJob]);
    try {
      await eventually(async () => ((await runsOf("tick-job")).length >= 2 ? true : undefined));
    } finally {
      expect(await scheduler.stop(5_000)).toBe(true);
    }
    const runs = await runsOf("tick-job");
    for (const run of runs) {
      expect(run).toMatchObject({ trigger: "CRON", status: "SUCCESS", itemsProcessed: 1 });
      expect(run.asOf?.getUTCMilliseconds()).toBe(0);
    }
    expect(new Set(runs.map((run) => run.asOf?.getTime())).size).toBe(runs.length);
  });

  it("handles an enqueued post within seconds, with trigger EVENT and the post as scope", async () => {
    const scheduler = await startTestScheduler(db, [eventJob]);
    try {
      const enqueuedAt = Date.now();
      const { id } = await enqueue(
        db,
        eventJob,
        { postId: "post-1" },
        { now: new Date(), reason: "post created" },
      );
      const done = await eventually(async () => {
        const request = await db.prisma.jobRequest.findUniqueOrThrow({ where: { id } });
        return request.status === "DONE" ? request : undefined;
      });
      expect(Date.now() - enqueuedAt).toBeLessThan(3_000);
      const run = await db.prisma.jobRun.findUniqueOrThrow({ where: { id: done.runId ?? "" } });
      expect(run).toMatchObject({
        trigger: "EVENT",
        status: "SUCCESS",
        scope: { postId: "post-1" },
      });
    } finally {
      await scheduler.stop(5_000);
    }
  });

  it("retries a failing request with backoff and leaves it FAILED with its error after 3 attempts", async () => {
    const scheduler = await startTestScheduler(db, [eventJob], { retryBaseMs: 100 });
    try {
      const { id } = await enqueue(db, eventJob, { postId: "bad-1" }, { now: new Date() });
      const failed = await eventually(async () => {
        const request = await db.prisma.jobRequest.findUniqueOrThrow({ where: { id } });
        return request.status === "FAILED" ? request : undefined;
      });
      expect(failed).toMatchObject({ attempts: 3, lastError: "cannot handle bad-1" });
      const runs = await runsOf("event-job");
      expect(runs.map((run) => run.status)).toEqual(["FAILED", "FAILED", "FAILED"]);
      const gaps = runs
        .slice(1)
        .map((run, i) => run.startedAt.getTime() - (runs[i]?.startedAt.getTime() ?? 0));
      expect(gaps[0]).toBeGreaterThanOrEqual(100);
      expect(gaps[1]).toBeGreaterThanOrEqual(200);
    } finally {
      await scheduler.stop(5_000);
    }
  });

  it("fails a request for a post or user that does not exist at once, without retries, as the CLI refuses it", async () => {
    const scheduler = await startTestScheduler(db, [eventJob], { retryBaseMs: 100 });
    try {
      const post = await enqueue(db, eventJob, { postId: "ghost" }, { now: new Date() });
      const user = await enqueue(db, eventJob, { userId: "ghost" }, { now: new Date() });
      for (const [id, error] of [
        [post.id, 'post "ghost" does not exist'],
        [user.id, 'user "ghost" does not exist'],
      ] as const) {
        const failed = await eventually(async () => {
          const request = await db.prisma.jobRequest.findUniqueOrThrow({ where: { id } });
          return request.status === "FAILED" ? request : undefined;
        });
        expect(failed).toMatchObject({ attempts: 1, lastError: error, runId: null });
      }
      expect(await runsOf("event-job")).toEqual([]);
    } finally {
      await scheduler.stop(5_000);
    }
  });

  it("skips a paused job's ticks and requests, across a restart, until it is resumed", async () => {
    await pauseJob(db, {
      jobName: "tick-job",
      pausedAt: new Date(),
      pausedBy: "test",
      reason: null,
    });
    await pauseJob(db, {
      jobName: "event-job",
      pausedAt: new Date(),
      pausedBy: "test",
      reason: null,
    });
    const { id } = await enqueue(db, eventJob, { postId: "post-2" }, { now: new Date() });
    const skippedPaused = (lines: string[]) =>
      lines.some((line) => line.includes("skipped: tick-job is paused")) ? true : undefined;
    const first = await startTestScheduler(db, [tickJob, eventJob]);
    try {
      await eventually(async () => skippedPaused(first.lines));
    } finally {
      await first.stop(5_000);
    }
    const restarted = await startTestScheduler(db, [tickJob, eventJob]);
    try {
      await eventually(async () => skippedPaused(restarted.lines));
      expect(await runsOf("tick-job")).toHaveLength(0);
      expect((await db.prisma.jobRequest.findUniqueOrThrow({ where: { id } })).status).toBe(
        "PENDING",
      );
      await resumeJob(db, "tick-job");
      await resumeJob(db, "event-job");
      await eventually(async () => ((await runsOf("tick-job")).length > 0 ? true : undefined));
      await eventually(async () => {
        const request = await db.prisma.jobRequest.findUniqueOrThrow({ where: { id } });
        return request.status === "DONE" ? true : undefined;
      });
    } finally {
      await restarted.stop(5_000);
    }
  });

  it("stops a run an operator cancels at its next checkpoint, recorded CANCELLED", async () => {
    const job = slowJob({ batches: 400, batchMs: 25, checkpoints: true });
    const scheduler = await startTestScheduler(db, [job]);
    try {
      const running = await eventually(async () =>
        (await runsOf("slow-job")).find((run) => run.status === "RUNNING"),
      );
      expect(await requestCancel(db, running.id, new Date())).toBe(true);
      const cancelled = await eventually(async () => {
        const run = await db.prisma.jobRun.findUniqueOrThrow({ where: { id: running.id } });
        return run.status === "CANCELLED" ? run : undefined;
      });
      expect(cancelled.error).toBe("cancelled by an operator");
    } finally {
      await scheduler.stop(5_000);
    }
  });
});
