import { setTimeout as sleep } from "node:timers/promises";
import type { Database } from "@feed-jobs/db";
import PgBoss from "pg-boss";
import { type QueueSettings, queueSettings } from "./settings.ts";

/**
 * The work queue is pg-boss 10 (README "Queue"), in the database's own schema `pgboss`, over the
 * database's own connection (embedded) or pool (PostgreSQL): one engine for event requests,
 * scheduler ticks and the shards of full runs, on any number of processes and machines.
 */
export const QUEUE_SCHEMA = "pgboss";

/** Where a job's attempts go once its retries are spent: kept for `requests` and `retry`. */
export const DEAD_LETTERS = "dead-letters";

/** Event requests and scheduler ticks of `job`: each a whole run. */
export const runQueue = (jobName: string) => `run.${jobName}`;

/** The shards of `job`'s full runs. */
export const shardQueue = (jobName: string) => `shard.${jobName}`;

export type Queue = PgBoss;

/** A job as a worker takes it, with its pg-boss metadata (attempt, singleton key, keep-until). */
export type QueuedJob<Data> = PgBoss.JobWithMetadata<Data>;

export interface OpenQueueOptions {
  /**
   * Whether this process supervises the queue (expiry, retention, archiving): the long-lived
   * processes (scheduler, worker) do; one-shot commands (`enqueue`, `requests`) only read and send.
   */
  supervise?: boolean;
  /** Default: from the environment ({@link queueSettings}). */
  settings?: QueueSettings;
  /** Where pg-boss's own errors go (it retries its polls itself). Default: a process warning. */
  onError?: (error: Error) => void;
}

/**
 * Starts pg-boss on `db` (installing or upgrading its schema when needed) and makes sure the
 * queues of `jobNames` exist with the current settings. Stop it with `queue.stop()`, which
 * leaves `db` open.
 */
export async function openQueue(
  db: Database,
  jobNames: readonly string[],
  options: OpenQueueOptions = {},
): Promise<Queue> {
  const settings = options.settings ?? queueSettings();
  const supervise = options.supervise ?? false;
  const boss = new PgBoss({
    db: { executeSql: (text, values) => db.executeSql(text, values) },
    schema: QUEUE_SCHEMA,
    supervise,
    schedule: false,
    maintenanceIntervalSeconds: settings.maintenanceIntervalSeconds,
    monitorStateIntervalSeconds: settings.maintenanceIntervalSeconds,
    archiveCompletedAfterSeconds: settings.archiveCompletedAfterSeconds,
    archiveFailedAfterSeconds: settings.archiveFailedAfterSeconds,
    deleteAfterDays: settings.deleteAfterDays,
  });
  boss.on("error", options.onError ?? ((error) => process.emitWarning(`queue: ${error.message}`)));
  await boss.start();
  try {
    await ensureQueue(boss, DEAD_LETTERS, { retentionDays: settings.retentionDays });
    for (const name of jobNames) {
      await ensureQueue(boss, runQueue(name), runQueueOptions(settings));
      await ensureQueue(boss, shardQueue(name), shardQueueOptions(settings));
    }
  } catch (error) {
    // A started pg-boss keeps its timers: left running, the process would never exit.
    await boss.stop({ graceful: false, close: false, wait: true }).catch(() => undefined);
    throw error;
  }
  return boss;
}

type QueueOptions = Omit<PgBoss.Queue, "name">;

/**
 * Event requests and ticks: a second request for the same job and scope (singleton key) while
 * one is queued collapses into it ("short" policy); a run already started does not absorb a new
 * one, whose inputs may be newer.
 */
export function runQueueOptions(settings: QueueSettings): QueueOptions {
  return {
    policy: "short",
    retryLimit: settings.requestAttempts - 1,
    retryDelay: settings.retryDelaySeconds,
    retryBackoff: true,
    expireInSeconds: settings.runExpireSeconds,
    retentionDays: settings.retentionDays,
    deadLetter: DEAD_LETTERS,
  };
}

/** Shards: every one runs; a worker that dies mid-shard has it retried elsewhere after expiry. */
export function shardQueueOptions(settings: QueueSettings): QueueOptions {
  return {
    policy: "standard",
    retryLimit: settings.shardAttempts - 1,
    retryDelay: settings.shardRetryDelaySeconds,
    retryBackoff: true,
    expireInSeconds: settings.shardExpireSeconds,
    retentionDays: settings.retentionDays,
    deadLetter: DEAD_LETTERS,
  };
}

/** Tries of a queue's creation or update that PostgreSQL ended as a deadlock. */
const DEADLOCK_TRIES = 5;

/**
 * Creates the queue, or brings an existing one's options up to date. Processes starting at
 * once on a fresh database create queues concurrently: pg-boss attaches each queue's partition
 * and its foreign keys to the shared tables, and PostgreSQL may end one of two such creations
 * as a deadlock (rolled back whole): that one is tried again.
 */
async function ensureQueue(boss: PgBoss, name: string, options: QueueOptions): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await createOrUpdateQueue(boss, name, options);
    } catch (error) {
      if (!isDeadlock(error) || attempt >= DEADLOCK_TRIES) throw error;
      await sleep(50 + Math.random() * 200 * attempt);
    }
  }
}

/** PostgreSQL's "deadlock detected" (SQLSTATE 40P01). */
const isDeadlock = (error: unknown) => (error as { code?: unknown })?.code === "40P01";

async function createOrUpdateQueue(boss: PgBoss, name: string, options: QueueOptions) {
  if (await boss.getQueue(name)) return boss.updateQueue(name, { name, ...options });
  try {
    await boss.createQueue(name, { name, ...options });
  } catch (error) {
    // Another process created it meanwhile.
    if (!(await boss.getQueue(name))) throw error;
  }
}
