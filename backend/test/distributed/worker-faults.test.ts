import { createTestDatabase, type TestDatabase } from "@feed-jobs/db/testing";
import type { Queue, ShardDispatch } from "@feed-jobs/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "../../src/demo/seed.ts";
import { matchScoresJob } from "../../src/jobs/matchScores/job.ts";
import type { Child } from "../support/child.ts";
import {
  FAULT_QUEUE_ENV,
  fullRun,
  killWorkersLeft,
  openDispatch,
  outputRows,
  rebuildCopies,
  shardsOf,
  startWorker,
  stopWorkers,
} from "./support.ts";

/**
 * Worker processes that die or fail mid-shard, on a full match-scores run coordinated by this
 * process: a worker killed (-9) while it holds a shard has that shard retried by another once
 * its queue job expired, and the run writes what one process writes; a shard that fails on
 * every attempt fails the run, leaving the previous lists whole and no copy. PostgreSQL only.
 */

const AS_OF = new Date("2026-06-01T12:00:00Z");
const TABLES = matchScoresJob.rebuilds ?? [];
/** Many small shards, each well within the short expiry of FAULT_QUEUE_ENV. */
const RUN = { asOf: AS_OF, options: { mode: "full" as const }, overrides: { shardSize: 10 } };

describe.skipIf(!process.env.TEST_DATABASE_URL)("worker processes that die or fail", () => {
  let db: TestDatabase;
  let url: string;
  let queue: Queue;
  let dispatch: ShardDispatch;
  /** What one process writes. */
  let expected: string[];
  /** The first test's: one pauses at the start of each shard attempt until it is killed. */
  let paused: Child;
  let others: Child[];
  const start = (env: Record<string, string>) => startWorker(url, { ...FAULT_QUEUE_ENV, ...env });

  beforeAll(async () => {
    db = await createTestDatabase();
    url = db.url as string;
    [[paused, ...others]] = await Promise.all([
      Promise.all([start({ FEED_JOBS_PAUSE_AT: "shard:scoring" }), start({}), start({})]),
      (async () => {
        await seedDemoData(db, { users: 120, seed: 16, now: AS_OF, log: () => undefined });
        const single = await fullRun(db, matchScoresJob, RUN);
        expect(single.status, single.error ?? "").toBe("SUCCESS");
        expected = await outputRows(db, TABLES);
      })(),
    ]);
    ({ queue, dispatch } = await openDispatch(db, [matchScoresJob.name], FAULT_QUEUE_ENV));
  }, 180_000);
  afterAll(async () => {
    // A paused worker would wait for its shard: every worker left goes at once.
    await killWorkersLeft();
    await queue?.stop({ graceful: false, wait: true });
    await db?.close();
  });

  it("kill -9 of a worker mid-shard: another retries the shard, the run writes the same lists", async () => {
    await db.prisma.$executeRawUnsafe(`TRUNCATE ${TABLES.join(", ")}`);
    const running = fullRun(db, matchScoresJob, { ...RUN, dispatch });
    // A worker takes at most one shard a poll (1 s): of many small shards, the paused one takes one.
    await paused.waitFor("paused at shard:scoring");
    const [held] = await db.prisma.jobRunShard.findMany({
      where: { jobName: matchScoresJob.name, pid: paused.proc.pid, status: "RUNNING" },
    });
    paused.proc.kill("SIGKILL");
    expect((await paused.exited).code).toBeNull();
    expect(held?.attempt).toBe(1);

    const run = await running;
    expect(run.status, run.error ?? "").toBe("SUCCESS");
    expect(await outputRows(db, TABLES)).toEqual(expected);
    expect(await rebuildCopies(db)).toEqual([]);
    const shards = shardsOf(run);
    expect(shards.length).toBeGreaterThanOrEqual(5);
    const retried = shards.find((shard) => shard.index === held?.shardIndex);
    expect(retried?.attempts).toBe(2);
    expect(others.map((worker) => worker.proc.pid)).toContain(retried?.pid);
    expect(shards.filter((shard) => shard.attempts !== 1)).toEqual([retried]);
  });

  it("a shard that fails on every attempt: the run FAILED naming it, the lists whole, no copy", async () => {
    await stopWorkers(others);
    const failing = { FEED_JOBS_FAIL_AT: "shard:1" };
    await Promise.all([start(failing), start(failing)]);
    // Another clock: a run that swapped its lists in would show.
    const asOf = new Date("2026-06-02T12:00:00Z");
    const run = await fullRun(db, matchScoresJob, { ...RUN, asOf, dispatch });
    expect(run.status).toBe("FAILED");
    expect(run.error).toContain("match-scores: shard 1 of");
    expect(run.error).toContain("failed after 2 attempt(s)");
    expect(run.error).toContain("failed at shard:1 (FEED_JOBS_FAIL_AT)");
    expect(await outputRows(db, TABLES)).toEqual(expected);
    expect(await rebuildCopies(db)).toEqual([]);
    const shard = await db.prisma.jobRunShard.findUniqueOrThrow({
      where: { runId_shardIndex: { runId: run.runId, shardIndex: 1 } },
    });
    expect([shard.status, shard.attempt]).toEqual(["FAILED", 2]);
  });
});
