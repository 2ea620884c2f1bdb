import { hostname } from "node:os";
import {
  type Database,
  describeDatabaseError,
  failAt,
  finishRebuild,
  pauseAt,
} from "@feed-jobs/db";
import { Counters } from "../counters.ts";
import { type JobDefinition, RunCancelled } from "../definition.ts";
import { jobLockKey } from "../job-runs.ts";
import type { ShardMessage } from "../queue/messages.ts";
import { type ShardRun, shardContext, shardRunOf, yieldTurn } from "./context.ts";
import {
  claimFinalising,
  markFinalised,
  recordAttemptProgress,
  recordFinalisingError,
  recordShardDone,
  recordShardFailed,
  type ShardKey,
  startAttempt,
} from "./store.ts";

/** How long the swap of a finalised rebuild may take (as a single-process rebuild's). */
const SWAP_TIMEOUT_MS = 300_000;

export interface RunShardOptions {
  /** Recorded on the shard. Default: this machine's name and process. */
  host?: string;
  pid?: number;
  /** Aborting stops the shard at its next checkpoint (the worker shuts down; it is retried). */
  signal?: AbortSignal;
  log?: (message: string) => void;
  /** Told the shard's items done so far after each change (inline: the run's live progress). */
  onProgress?: (done: number) => void;
  /** Also called at each of the shard's checkpoints (inline: the run's own checkpoint). */
  checkpoint?: () => Promise<void>;
}

/**
 * What one call did: ran the shard (and maybe swapped the rebuild in as the last one), found
 * nothing to do (the shard is DONE, or its run ended), or was superseded by a retry.
 */
export type ShardAttemptOutcome = "done" | "finalised" | "nothing to do" | "superseded";

/**
 * One attempt of one shard of a full run, in any process: starts the attempt (its number is its
 * token), runs `job.shard` with the shard's own counters, records DONE with them, and, when it
 * completed the last shard, validates the copies and swaps them in. A failing shard is recorded
 * FAILED and its error rethrown (the queue retries it).
 */
export async function runShard<Config extends Record<string, unknown>>(
  db: Database,
  job: JobDefinition<Config>,
  message: ShardMessage,
  options: RunShardOptions = {},
): Promise<ShardAttemptOutcome> {
  const key: ShardKey = { runId: message.runId, index: message.index };
  const log = options.log ?? (() => undefined);
  const run = shardRunOf<Config>(db, message);
  const startedAt = new Date();
  const host = options.host ?? hostname();
  const pid = options.pid ?? process.pid;
  const attempt = await startAttempt(db, key, { host, pid, startedAt });
  if (attempt === null) {
    // DONE already (a retry of a finaliser that died) or its run ended.
    return (await finaliseIfLast(db, job, key, run, log)) ? "finalised" : "nothing to do";
  }
  if (!job.shard) throw new Error(`${job.name} has no shard function; it cannot run shards`);
  const counters = new Counters(() => options.onProgress?.(counters.done));
  const position = { index: message.index, count: message.count, attempt };
  const ctx = shardContext(run, position, counters, log, async () => {
    await options.checkpoint?.();
    await shardCheckpoint(db, job.name, key, attempt, counters, options.signal);
  });
  try {
    // Fault points of the distributed tests: a worker killed mid-shard, a shard that always fails.
    await pauseAt("shard:scoring");
    failAt(`shard:${message.index}`);
    await job.shard(ctx, message.spec);
  } catch (error) {
    await recordShardFailed(db, key, attempt, describeDatabaseError(error), new Date());
    throw error;
  }
  const completedAt = new Date();
  const duration = completedAt.getTime() - startedAt.getTime();
  if (!(await recordShardDone(db, key, attempt, counters, completedAt, duration))) {
    log(`shard ${key.index} of run ${key.runId}: attempt ${attempt} was superseded by a retry`);
    return "superseded";
  }
  return (await finaliseIfLast(db, job, key, run, log)) ? "finalised" : "done";
}

/**
 * A shard attempt's checkpoint: stops when the worker shuts down, the attempt was superseded,
 * the run ended or was cancelled, or nobody holds the job's lock (its coordinator is gone).
 */
async function shardCheckpoint(
  db: Database,
  jobName: string,
  key: ShardKey,
  attempt: number,
  counters: Counters,
  signal: AbortSignal | undefined,
): Promise<void> {
  await yieldTurn();
  const what = `shard ${key.index} of run ${key.runId} (attempt ${attempt})`;
  if (signal?.aborted) throw new RunCancelled(`${what}: the worker is shutting down`);
  const stop = await recordAttemptProgress(db, key, attempt, counters);
  if (stop === "superseded") throw new Error(`${what} was superseded by a retry`);
  if (stop === "run ended") throw new RunCancelled(`${what}: the run is no longer running`);
  if (!(await db.isLockHeld(jobLockKey(jobName)))) {
    throw new Error(`${what}: nobody holds ${jobName}'s lock: the run's coordinator is gone`);
  }
}

/**
 * When every shard of the run is DONE and this worker claims the finalising: validates the
 * copies and swaps them in, marking the rebuild finalised inside the swap. A failure is recorded
 * for the coordinator, which fails the run and drops the copies. True when swapped in.
 */
export async function finaliseIfLast<Config extends Record<string, unknown>>(
  db: Database,
  job: JobDefinition<Config>,
  key: ShardKey,
  run: ShardRun<Config>,
  log: (message: string) => void,
): Promise<boolean> {
  if (!(await claimFinalising(db, key))) return false;
  const ctx = shardContext(run, undefined, new Counters(), log, yieldTurn);
  try {
    await job.validateRebuild?.(ctx);
    await finishRebuild(db.prisma, job.rebuilds ?? [], {
      timeoutMs: SWAP_TIMEOUT_MS,
      log,
      inSwap: (tx) => markFinalised(tx, key.runId, new Date()),
    });
    return true;
  } catch (error) {
    const reason = describeDatabaseError(error);
    await recordFinalisingError(db, key.runId, reason);
    log(`run ${key.runId}: the rebuild of ${job.name} could not be finalised: ${reason}`);
    return false;
  }
}
