import type { Database } from "@feed-jobs/db";
import { createTestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import {
  DEAD_LETTERS,
  enqueue,
  findRequestsByIdPrefix,
  jobLockKey,
  type Queue,
  requestCancel,
  runQueue,
  scopeKey,
} from "@feed-jobs/jobs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pauseJob, resumeJob } from "../../src/scheduler/controls.ts";
import { fixtures } from "../support/fixtures.ts";
import {
  eventually,
  openTestQueue,
  requestsFor,
  startTestScheduler,
} from "./support/in-process.ts";
import { eventJob, slowJob, tickJob } from "./support/test-jobs.ts";

// Short queue timings (packages/jobs/src/queue/settings.ts): retries after 1-2 s, then 2-4 s.
process.env.FEED_JOBS_REQUEST_ATTEMPTS = "3";
process.env.FEED_JOBS_REQUEST_RETRY_SECONDS = "1";
process.env.FEED_JOBS_QUEUE_POLL_SECONDS = "0.5";

let db: Database;
let queue: Queue;
beforeAll(async () => {
  db = await createTestDatabase();
  const f = fixtures(db, new Date());
  await f.user({ id: "author" });
  for (const id of ["post-1", "bad-1", "post-2", "post-3"])
    await f.post({ id, authorId: "author", createdAt: new Date() });
  queue = await openTestQueue(db, [eventJob, tickJob]);
});
afterAll(async () => {
  await queue.stop({ close: false });
  await db.close();
});
beforeEach(async () => {
  await db.prisma.jobRun.deleteMany();
  await db.prisma.jobControl.deleteMany();
  await db.executeSql("DELETE FROM pgboss.job");
});

const runsOf = (jobName: string) =>
  db.prisma.jobRun.findMany({ where: { jobName }, orderBy: { startedAt: "asc" } });

/** The request with `id` once it is in `state`. */
const requestIn = (id: string, state: string, timeoutMs = 10_000) =>
  eventually(async () => {
    const request = await queue.getJobById(runQueue(eventJob.name), id);
    return request?.state === state ? request : undefined;
  }, timeoutMs);

describe(`scheduler (${testDatabaseKind()})`, () => {
  it("queues each tick once and runs it with trigger CRON, as of the tick's scheduled time", async () => {
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
    // Each run came from its tick's request: the tick's key, completed with the run's id.
    const { rows } = await db.executeSql(
      "SELECT singleton_key, data, output FROM pgboss.job WHERE name = $1 AND state = 'completed'",
      [runQueue(tickJob.name)],
    );
    for (const run of runs) {
      const slot = run.asOf?.toISOString();
      expect(rows).toContainEqual({
        singleton_key: `tick-job/every-second:${slot}`,
        data: expect.objectContaining({ trigger: "CRON", requestedAt: slot, options: {} }),
        output: { runId: run.id, status: "SUCCESS" },
      });
    }
  });

  it("handles an enqueued post within seconds, with trigger EVENT and the post as scope", async () => {
    const scheduler = await startTestScheduler(db, [eventJob]);
    try {
      const enqueuedAt = Date.now();
      const { id } = await enqueue(
        queue,
        eventJob,
        { postId: "post-1" },
        { now: new Date(), reason: "post created" },
      );
      const done = await requestIn(id, "completed");
      expect(Date.now() - enqueuedAt).toBeLessThan(3_000);
      const { runId } = done.output as { runId: string };
      const run = await db.prisma.jobRun.findUniqueOrThrow({ where: { id: runId } });
      expect(run).toMatchObject({
        trigger: "EVENT",
        status: "SUCCESS",
        scope: { postId: "post-1" },
      });
    } finally {
      await scheduler.stop(5_000);
    }
  });

  it("retries a failing request with backoff and moves it to the dead letters after 3 attempts", async () => {
    const scheduler = await startTestScheduler(db, [eventJob]);
    try {
      const { id } = await enqueue(queue, eventJob, { postId: "bad-1" }, { now: new Date() });
      const failed = await requestIn(id, "failed", 20_000);
      expect(failed).toMatchObject({ retryCount: 2, retryLimit: 2 });
      expect(failed.output).toMatchObject({ name: "RunFailed", message: "cannot handle bad-1" });
      const runs = await runsOf("event-job");
      expect(runs.map((run) => run.status)).toEqual(["FAILED", "FAILED", "FAILED"]);
      expect((failed.output as { runId: string }).runId).toBe(runs[2]?.id);
      const gaps = runs
        .slice(1)
        .map((run, i) => run.startedAt.getTime() - (runs[i]?.startedAt.getTime() ?? 0));
      expect(gaps[0]).toBeGreaterThanOrEqual(1_000);
      expect(gaps[1]).toBeGreaterThanOrEqual(2_000);
      const { rows } = await db.executeSql("SELECT data FROM pgboss.job WHERE name = $1", [
        DEAD_LETTERS,
      ]);
      expect(rows).toEqual([{ data: failed.data }]);
    } finally {
      await scheduler.stop(5_000);
    }
  }, 30_000);

  it("ends a request for a post or user that does not exist at once, without retries, as the CLI refuses it", async () => {
    const scheduler = await startTestScheduler(db, [eventJob]);
    try {
      const post = await enqueue(queue, eventJob, { postId: "ghost" }, { now: new Date() });
      const user = await enqueue(queue, eventJob, { userId: "ghost" }, { now: new Date() });
      for (const [id, error] of [
        [post.id, 'post "ghost" does not exist'],
        [user.id, 'user "ghost" does not exist'],
      ] as const) {
        const done = await requestIn(id, "completed");
        expect(done).toMatchObject({ retryCount: 0, output: { error } });
        const [listed] = await findRequestsByIdPrefix(db, id);
        expect(listed).toMatchObject({ state: "completed", lastError: error });
      }
      expect(await runsOf("event-job")).toEqual([]);
    } finally {
      await scheduler.stop(5_000);
    }
  });

  it("puts a request back without spending an attempt while its job runs elsewhere, then runs it", async () => {
    const scheduler = await startTestScheduler(db, [eventJob]);
    try {
      const lock = await db.tryLock(jobLockKey(eventJob.name));
      if (!lock) throw new Error("the test could not take event-job's lock");
      try {
        const { id } = await enqueue(queue, eventJob, { postId: "post-3" }, { now: new Date() });
        const busy = await requestIn(id, "completed");
        expect(busy.output).toMatchObject({
          reason: expect.stringMatching(/^busy: event-job is already running/),
        });
      } finally {
        await lock.release();
      }
      const chain = await eventually(async () => {
        const requests = await requestsFor(db, eventJob, scopeKey({ postId: "post-3" }));
        return requests.at(-1)?.runId ? requests : undefined;
      });
      expect(chain.every((request) => request.attempts === 1)).toBe(true);
      expect(await runsOf("event-job")).toMatchObject([
        { id: chain.at(-1)?.runId, status: "SUCCESS" },
      ]);
    } finally {
      await scheduler.stop(5_000);
    }
  });

  it("skips a paused job's ticks and holds its requests, across a restart, until it is resumed", async () => {
    for (const job of [tickJob, eventJob]) {
      await pauseJob(db, {
        jobName: job.name,
        pausedAt: new Date(),
        pausedBy: "test",
        reason: null,
      });
    }
    await enqueue(queue, eventJob, { postId: "post-2" }, { now: new Date() });
    const key = scopeKey({ postId: "post-2" });
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
      expect(await runsOf("event-job")).toHaveLength(0);
      const held = await requestsFor(db, eventJob, key);
      expect(held.at(-1)?.state).toMatch(/^(created|active)$/);
      await resumeJob(db, "tick-job");
      await resumeJob(db, "event-job");
      await eventually(async () => ((await runsOf("tick-job")).length > 0 ? true : undefined));
      await eventually(async () =>
        (await requestsFor(db, eventJob, key)).at(-1)?.runId ? true : undefined,
      );
    } finally {
      await restarted.stop(5_000);
    }
  });

  it("stops a run an operator cancels at its next checkpoint, recorded CANCELLED, its request cancelled", async () => {
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
      const slot = cancelled.asOf?.toISOString();
      const request = await eventually(async () =>
        (await requestsFor(db, job, `slow-job/every-second:${slot}`)).find(
          (r) => r.state === "cancelled",
        ),
      );
      expect(request.attempts).toBe(1);
    } finally {
      await scheduler.stop(5_000);
    }
  });
});
