import { createTestDatabase, type TestDatabase } from "@feed-jobs/db/testing";
import type { JobOptions, Queue, ShardDispatch } from "@feed-jobs/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "../../src/demo/seed.ts";
import { affinityJob } from "../../src/jobs/affinity/job.ts";
import type { AnyJob } from "../../src/jobs/catalog.ts";
import { compatibilityJob } from "../../src/jobs/compatibility/job.ts";
import { contentFeaturesJob } from "../../src/jobs/contentFeatures/job.ts";
import { matchScoresJob } from "../../src/jobs/matchScores/job.ts";
import type { Child } from "../support/child.ts";
import {
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
 * A full run whose shards three worker processes (`pnpm job worker`) share writes row for row,
 * column for column, what the same run writes in one process, for each sharded job. Each job
 * in the catalog's order (its inputs are the earlier ones' outputs): its tables emptied, the
 * run with its shards inline, then emptied again and the run on the workers, at the same clock.
 * The queue's default settings: a shard on a busy machine may take longer than a fault test's
 * short expiry. PostgreSQL only: the embedded database is one process's.
 */

const AS_OF = new Date("2026-06-01T12:00:00Z");

/** Each sharded job, how its full run is asked for, and shards small enough to be several. */
const SHARDED: { job: AnyJob; options: JobOptions; shardSize: number }[] = [
  { job: contentFeaturesJob, options: { all: true }, shardSize: 150 },
  { job: matchScoresJob, options: { mode: "full" }, shardSize: 60 },
  { job: compatibilityJob, options: { mode: "full" }, shardSize: 60 },
  { job: affinityJob, options: { mode: "full" }, shardSize: 60 },
];

describe.skipIf(!process.env.TEST_DATABASE_URL)("three worker processes, one full run", () => {
  let db: TestDatabase;
  let queue: Queue;
  let dispatch: ShardDispatch;
  let workers: Child[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const url = db.url as string;
    [workers] = await Promise.all([
      Promise.all([startWorker(url), startWorker(url), startWorker(url)]),
      seedDemoData(db, { users: 300, seed: 16, now: AS_OF, log: () => undefined }),
    ]);
    ({ queue, dispatch } = await openDispatch(
      db,
      SHARDED.map(({ job }) => job.name),
    ));
  }, 180_000);
  afterAll(async () => {
    await stopWorkers(workers);
    await killWorkersLeft();
    await queue?.stop({ graceful: false, wait: true });
    await db?.close();
  });

  const empty = (tables: readonly string[]) =>
    db.prisma.$executeRawUnsafe(`TRUNCATE ${tables.join(", ")}`);

  for (const { job, options, shardSize } of SHARDED) {
    it(`${job.name}: the same tables as one process`, async () => {
      expect(job.shard, `${job.name} is sharded`).toBeDefined();
      const tables = job.rebuilds ?? [];
      const run = { asOf: AS_OF, options, overrides: { shardSize } };

      await empty(tables);
      const single = await fullRun(db, job, run);
      expect(single.status, single.error ?? "").toBe("SUCCESS");
      const expected = await outputRows(db, tables);

      await empty(tables);
      const spread = await fullRun(db, job, { ...run, dispatch });
      expect(spread.status, spread.error ?? "").toBe("SUCCESS");
      expect(await outputRows(db, tables)).toEqual(expected);
      expect(await rebuildCopies(db)).toEqual([]);

      expect(spread.itemsProcessed).toBe(single.itemsProcessed);
      const shards = shardsOf(spread);
      expect(shards.length).toBeGreaterThanOrEqual(3);
      expect(shards.map((shard) => shard.index)).toEqual(shards.map((_, index) => index));
      const pids = workers.map((worker) => worker.proc.pid);
      for (const shard of shards) {
        expect(pids, `shard ${shard.index} ran on a worker`).toContain(shard.pid);
        expect(shard.attempts).toBe(1);
      }
      // A worker takes at most one shard a poll: idle others take the next ones.
      expect(new Set(shards.map((shard) => shard.pid)).size).toBeGreaterThanOrEqual(2);
    });
  }
});
