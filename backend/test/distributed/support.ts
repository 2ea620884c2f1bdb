import type { Database } from "@feed-jobs/db";
import {
  type JobDefinition,
  type JobOptions,
  openQueue,
  type Queue,
  queueSettings,
  queueShards,
  type RunSummary,
  runJob,
  type ShardDispatch,
} from "@feed-jobs/jobs";
import { expect } from "vitest";
import { type Child, cliScript, startChild } from "../support/child.ts";

/** FEED_JOBS_* queue settings (README "Queue") of every process of a test, the test's own included. */
export type QueueEnv = Record<string, string>;

/**
 * Settings for the fault tests: a killed worker's shard is retried 8 s after it started, a
 * failing one after 1 s, and a shard has two attempts. Every shard of these tests must take
 * less than the 8 s, or it is retried as if its worker were lost.
 */
export const FAULT_QUEUE_ENV: QueueEnv = {
  FEED_JOBS_SHARD_EXPIRE_SECONDS: "8",
  FEED_JOBS_SHARD_RETRY_SECONDS: "1",
  FEED_JOBS_SHARD_ATTEMPTS: "2",
  FEED_JOBS_QUEUE_MAINTENANCE_SECONDS: "1",
};

/**
 * How long a worker may take to start: loading the CLI takes tens of seconds on a loaded CI
 * machine. Past it the test fails with the worker's output rather than at the hook's timeout.
 */
const WORKER_START_MS = 120_000;

/**
 * `pnpm job worker --concurrency 1` on `url` with `env` (queue settings, fault points); resolves
 * once it works on the queue. One that exits or stalls first is killed and its output reported.
 */
export async function startWorker(url: string, env: QueueEnv = {}): Promise<Child> {
  const child = startChild(cliScript, ["worker", "--concurrency", "1"], {
    ...process.env,
    DATABASE_URL: url,
    ...env,
  });
  spawned.add(child);
  void child.exited.then(() => spawned.delete(child));
  try {
    await child.waitFor(`worker ${child.proc.pid}:`, WORKER_START_MS);
  } catch (error) {
    child.proc.kill("SIGKILL");
    throw error;
  }
  return child;
}

/** The workers of this test file not yet exited, even those whose start failed or is pending. */
const spawned = new Set<Child>();

/**
 * SIGKILL to every worker of this file still running, then waits: a worker left behind by a
 * failed beforeAll (its siblings still starting) would poll a dropped database for the rest of
 * the run.
 */
export async function killWorkersLeft(): Promise<void> {
  const left = [...spawned];
  for (const worker of left) worker.proc.kill("SIGKILL");
  await Promise.all(left.map((worker) => worker.exited));
}

/** SIGTERM, then waits: a worker stops gracefully (exit 0) once its running shard is done. */
export async function stopWorkers(workers: readonly Child[]): Promise<void> {
  for (const worker of workers) worker.proc.kill("SIGTERM");
  await Promise.all(workers.map((worker) => worker.exited));
}

/**
 * The queue of this process (coordinating, not supervising), with the settings of `env` (pg-boss
 * keeps the options of whoever opened a queue last: all processes must agree), and its dispatch.
 */
export async function openDispatch(
  db: Database,
  jobNames: readonly string[],
  env: QueueEnv = {},
): Promise<{ queue: Queue; dispatch: ShardDispatch }> {
  const queue = await openQueue(db, jobNames, { supervise: false, settings: queueSettings(env) });
  return { queue, dispatch: queueShards(queue, { pollIntervalMs: 200 }) };
}

/** A full run in this process as of `asOf`; its shards inline unless `dispatch` is given. */
export async function fullRun<Config extends Record<string, unknown>>(
  db: Database,
  job: JobDefinition<Config>,
  run: {
    asOf: Date;
    options: JobOptions;
    overrides: Record<string, unknown>;
    dispatch?: ShardDispatch;
  },
): Promise<RunSummary> {
  return runJob(db, job, {
    asOf: run.asOf,
    options: run.options,
    overrides: run.overrides,
    ...(run.dispatch ? { shardDispatch: run.dispatch } : {}),
  });
}

/** Every row of each of `tables`, every column, in order: two outputs are equal when these are. */
export async function outputRows(db: Database, tables: readonly string[]): Promise<string[]> {
  const rows: string[] = [];
  for (const table of tables) {
    const found = await db.prisma.$queryRawUnsafe<{ row: string }[]>(
      `SELECT row_to_json(t)::text AS row FROM ${table} t ORDER BY 1`,
    );
    expect(found.length, `${table} has rows`).toBeGreaterThan(0);
    rows.push(...found.map((r) => `${table} ${r.row}`));
  }
  return rows;
}

/** The rebuild copies present (`<table>_rebuild`). */
export async function rebuildCopies(db: Database): Promise<string[]> {
  const rows = await db.prisma.$queryRawUnsafe<{ name: string }[]>(
    "SELECT relname::text AS name FROM pg_class WHERE relname LIKE '%\\_rebuild' AND relkind = 'r' ORDER BY 1",
  );
  return rows.map((r) => r.name);
}

export interface ShardFigure {
  index: number;
  pid: number;
  attempts: number;
}

/** The per-shard figures of a run's metadata. */
export const shardsOf = (run: RunSummary) => (run.metadata.shards ?? []) as ShardFigure[];
