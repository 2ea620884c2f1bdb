import { type Database, openPostgres } from "@feed-jobs/db";
import { createTestDatabase, type TestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  openQueue,
  type Queue,
  type QueueSettings,
  queueSettings,
  queueShards,
  requestCancel,
  runJob,
  type ShardDispatch,
  workShards,
} from "../src/index.ts";
import { copyExists, createToyTables, TOY_TABLE, toyJob, toyScores } from "./support/toy-job.ts";

/**
 * Sharded full runs over the queue: the run's shards go to `shard.toy-shards` and two workers,
 * each on its own Database and Queue as separate processes would be, run them. The embedded
 * database runs shards inline only (one process owns its folder): PostgreSQL only.
 */

const onPostgres = testDatabaseKind() === "postgres";

/** Two attempts per shard, retried after 1 s, a worker silent for 3 s taken for lost. */
const settings: QueueSettings = {
  ...queueSettings({}),
  shardAttempts: 2,
  shardRetryDelaySeconds: 1,
  shardExpireSeconds: 3,
  maintenanceIntervalSeconds: 1,
  pollingIntervalSeconds: 0.5,
};

interface Worker {
  db: Database;
  queue: Queue;
  stop: () => Promise<void>;
  log: string[];
}

async function startWorker(url: string, signal?: AbortSignal): Promise<Worker> {
  const db = openPostgres(url);
  const queue = await openQueue(db, [toyJob.name], { supervise: true, settings });
  const log: string[] = [];
  const stop = await workShards(queue, db, [toyJob], {
    concurrency: 1,
    log: (line) => log.push(line),
    settings,
    signal,
  });
  return { db, queue, stop, log };
}

const asOf = new Date("2026-03-01T00:00:00Z");

describe.skipIf(!onPostgres)("distribute over the queue (PostgreSQL only)", () => {
  let db: TestDatabase;
  let queue: Queue;
  let dispatch: ShardDispatch;
  let workers: Worker[] = [];
  let expected: Awaited<ReturnType<typeof toyScores>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    await createToyTables(db, 10);
    const single = await runJob(db, toyJob, { asOf, overrides: { shardSize: 100 } });
    expect(single.status).toBe("SUCCESS");
    expected = await toyScores(db);
    queue = await openQueue(db, [toyJob.name], { supervise: false, settings });
    dispatch = queueShards(queue, { pollIntervalMs: 200 });
    const url = db.url ?? "";
    workers = [await startWorker(url), await startWorker(url)];
  });
  afterAll(async () => {
    for (const worker of workers) {
      await worker.stop();
      await worker.queue.stop({ graceful: false, wait: true });
      await worker.db.close();
    }
    await queue?.stop({ graceful: false, wait: true });
    await db?.close();
  });
  beforeEach(async () => {
    await db.prisma.$executeRawUnsafe(`DELETE FROM ${TOY_TABLE}`);
    for (const worker of workers) worker.log.length = 0;
  });

  const shardLines = () =>
    workers.flatMap((worker) => worker.log).filter((l) => l.includes("shard"));

  it("gives the same table as one shard in one process, the workers' counters summed", async () => {
    const run = await runJob(db, toyJob, { asOf, shardDispatch: dispatch });
    expect(run.status, run.error ?? "").toBe("SUCCESS");
    expect(await toyScores(db)).toEqual(expected);
    expect(await copyExists(db)).toBe(false);
    expect(run.itemsProcessed).toBe(8);
    expect(run.metadata).toMatchObject({ rowsWritten: 8, excluded: { negative: 2 }, doubled: 8 });
    const shards = run.metadata.shards as { index: number; attempts: number; pid: number }[];
    expect(shards.map((s) => [s.index, s.attempts])).toEqual([
      [0, 1],
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
    const rows = await db.prisma.jobRunShard.findMany({ where: { runId: run.runId } });
    expect(rows.every((row) => row.queueJobId !== null)).toBe(true);
    // Every shard ran on a worker, the last one swapping the copy in.
    expect(
      shardLines().filter((l) => l.endsWith(": done") || l.endsWith(": finalised")),
    ).toHaveLength(4);
    expect(shardLines().filter((l) => l.endsWith(": finalised"))).toHaveLength(1);
  });

  it("fails the run when a shard fails on every attempt: the table untouched, no copy", async () => {
    await db.prisma.$executeRawUnsafe(`INSERT INTO ${TOY_TABLE} VALUES (99, 1, 'old')`);
    const run = await runJob(db, toyJob, {
      asOf,
      overrides: { failShard: 1 },
      shardDispatch: dispatch,
    });
    expect(run.status).toBe("FAILED");
    expect(run.error).toContain("toy-shards: shard 1 of 4 failed after 2 attempt(s)");
    expect(run.error).toContain("toy shard 1 always fails");
    expect(await toyScores(db)).toEqual([{ id: 99, doubled: 1, version: "old" }]);
    expect(await copyExists(db)).toBe(false);
  });

  it("retries a shard whose worker went silent, once its queue job expired", async () => {
    const run = await runJob(db, toyJob, {
      asOf,
      overrides: { stallShard: 2 },
      shardDispatch: dispatch,
    });
    expect(run.status, run.error ?? "").toBe("SUCCESS");
    expect(await toyScores(db)).toEqual(expected);
    const shards = run.metadata.shards as { index: number; attempts: number }[];
    expect(shards.map((s) => s.attempts)).toEqual([1, 1, 2, 1]);
    // The silent attempt stops at its next checkpoint once the retry supersedes it.
    await expect.poll(() => shardLines().some((l) => l.includes("superseded"))).toBe(true);
  });

  it("cancels: the shards not done withdrawn, the copy dropped, the table untouched", async () => {
    await db.prisma.$executeRawUnsafe(`INSERT INTO ${TOY_TABLE} VALUES (99, 1, 'old')`);
    let runId = "";
    const running = runJob(db, toyJob, {
      asOf,
      overrides: { stallShard: 2 },
      shardDispatch: dispatch,
      onStart: (id) => {
        runId = id;
      },
    });
    const stalled = () =>
      db.prisma.jobRunShard.count({ where: { runId, shardIndex: 2, status: "RUNNING" } });
    await expect.poll(stalled, { timeout: 10_000 }).toBe(1);
    expect(await requestCancel(db, runId, new Date())).toBe(true);
    const run = await running;
    expect(run.status).toBe("CANCELLED");
    expect(await toyScores(db)).toEqual([{ id: 99, doubled: 1, version: "old" }]);
    expect(await copyExists(db)).toBe(false);
    // The stalled attempt stops at its next checkpoint; its queue job was withdrawn.
    await expect
      .poll(() => shardLines().some((l) => l.includes("the run is no longer running")))
      .toBe(true);
    const shard = await db.prisma.jobRunShard.findUniqueOrThrow({
      where: { runId_shardIndex: { runId, shardIndex: 2 } },
    });
    const state = await dispatch.state(toyJob.name, shard.queueJobId ?? "");
    expect(state).toBe("cancelled");
  });

  it("retries elsewhere the shard of a worker that shuts down mid-shard", async () => {
    // Only the stopping worker works at first, so the stalled shard is its.
    for (const worker of workers) await worker.stop();
    const shutdown = new AbortController();
    const stopping = await startWorker(db.url ?? "", shutdown.signal);
    workers.push(stopping);
    const running = runJob(db, toyJob, {
      asOf,
      overrides: { stallShard: 2 },
      shardDispatch: dispatch,
    });
    const stalled = () =>
      db.prisma.jobRunShard.count({
        where: { jobName: toyJob.name, shardIndex: 2, status: "RUNNING", attempt: 1 },
      });
    await expect.poll(stalled, { timeout: 10_000 }).toBe(1);
    shutdown.abort();
    await expect
      .poll(() => stopping.log.some((l) => l.includes("the worker is shutting down")))
      .toBe(true);
    workers.push(await startWorker(db.url ?? ""));
    const run = await running;
    expect(run.status, run.error ?? "").toBe("SUCCESS");
    expect(await toyScores(db)).toEqual(expected);
    const shards = run.metadata.shards as { index: number; attempts: number }[];
    expect(shards.map((s) => s.attempts)).toEqual([1, 1, 2, 1]);
  });
});

describe.skipIf(!onPostgres)("queues opened by several processes at once", () => {
  it("on a fresh database every process opens them (a creation ended as a deadlock is retried)", async () => {
    // Workers started together each create the queues: PostgreSQL may end one creation as a
    // deadlock, which used to fail that worker's start.
    const fresh = await createTestDatabase();
    const pools = [0, 1, 2, 3].map(() => openPostgres(fresh.url ?? ""));
    const names = ["toy-a", "toy-b", "toy-c"];
    try {
      const opened = await Promise.allSettled(
        pools.map((pool) => openQueue(pool, names, { supervise: true, settings })),
      );
      for (const result of opened)
        if (result.status === "fulfilled") await result.value.stop({ graceful: false, wait: true });
      expect(opened.map((result) => result.status)).toEqual(pools.map(() => "fulfilled"));
    } finally {
      for (const pool of pools) await pool.close();
      await fresh.close();
    }
  });
});
