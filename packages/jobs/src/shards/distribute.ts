import { setTimeout as sleep } from "node:timers/promises";
import { abandonRebuild, describeDatabaseError, startRebuild } from "@feed-jobs/db";
import { Counters } from "../counters.ts";
import {
  type JobContext,
  type JobDefinition,
  RunCancelled,
  type ShardOutcome,
  type ShardSpec,
} from "../definition.ts";
import type { ShardMessage } from "../queue/messages.ts";
import { shardContext } from "./context.ts";
import { isSpent, type QueueJobState, type ShardDispatch } from "./dispatch.ts";
import { finaliseIfLast, runShard } from "./run-shard.ts";
import {
  insertShards,
  NO_SHARD,
  readRebuild,
  readShards,
  recordQueueJobIds,
  type ShardRow,
} from "./store.ts";
import { absorbShards, ProgressRelay, tallyOfCounters, tallyOfRow } from "./tally.ts";

/** The run that distributes its full run's shards (`JobContext.distribute`). */
export interface Coordinator<Config extends Record<string, unknown>> {
  readonly job: JobDefinition<Config>;
  /** The run's own context: its inputs, progress, log and checkpoint. */
  readonly ctx: JobContext<Config>;
  /** The run's counters, which the shards' are added to. */
  readonly counters: Counters;
  /** The run's JobRun; absent in `computeAsOf`, which has none. */
  readonly runId?: string;
  /** Absent, or on the embedded database: the shards run in this process. */
  readonly dispatch?: ShardDispatch;
}

/**
 * Runs a full run's shards (see `JobContext.distribute`): a dry run's in this process with no
 * rows and no copies; a real run's into rebuild copies, one `job_run_shards` row each, in this
 * process or on the queue's workers, until the worker of the last shard swapped the copies in.
 * Any failure drops the copies (the tables stay as they were) and is rethrown.
 */
export async function distribute<Config extends Record<string, unknown>>(
  coordinator: Coordinator<Config>,
  specs: readonly ShardSpec[],
): Promise<ShardOutcome> {
  const { job, ctx, runId } = coordinator;
  if (!job.shard) throw new Error(`${job.name} called distribute but declares no shard function`);
  if (ctx.options.dryRun || runId === undefined) return runInMemory(coordinator, specs);
  const { db } = ctx;
  const relay = new ProgressRelay(ctx.processed);
  await startRebuild(db.prisma, job.rebuilds ?? []);
  try {
    await insertShards(db, runId, job.name, specs);
    const messages = specs.map((spec, index) =>
      messageOf(coordinator, runId, spec, index, specs.length),
    );
    const { dispatch } = coordinator;
    if (dispatch && db.kind !== "embedded")
      await runQueued(coordinator, runId, dispatch, messages, relay);
    else await runInline(coordinator, runId, messages, relay);
    const rows = await readShards(db, runId);
    for (const row of rows) relay.set(row.shardIndex, row.itemsProcessed);
    return absorbShards(coordinator.counters, rows.map(tallyOfRow));
  } catch (error) {
    await abandonRebuild(db.prisma, job.rebuilds ?? []);
    throw error;
  }
}

function messageOf<Config extends Record<string, unknown>>(
  { job, ctx }: Coordinator<Config>,
  runId: string,
  spec: ShardSpec,
  index: number,
  count: number,
): ShardMessage {
  return {
    runId,
    jobName: job.name,
    index,
    count,
    spec,
    algorithmVersion: ctx.algorithmVersion,
    config: ctx.config,
    options: ctx.options,
    asOf: ctx.now.toISOString(),
  };
}

/** A dry run: each shard in turn with its own counters, writing nothing (rows go to `collect`). */
async function runInMemory<Config extends Record<string, unknown>>(
  { job, ctx, counters }: Coordinator<Config>,
  specs: readonly ShardSpec[],
): Promise<ShardOutcome> {
  const relay = new ProgressRelay(ctx.processed);
  const tallies = [];
  for (const [index, spec] of specs.entries()) {
    const own: Counters = new Counters(() => relay.set(index, own.done));
    const position = { index, count: specs.length, attempt: 1 };
    const startedAt = new Date();
    try {
      await job.shard?.(shardContext(ctx, position, own, ctx.log, ctx.checkpoint), spec);
    } catch (error) {
      throw shardFailed(job.name, index, specs.length, error);
    }
    tallies.push(tallyOfCounters(index, own, startedAt, Date.now() - startedAt.getTime()));
  }
  return absorbShards(counters, tallies);
}

/**
 * Each shard in turn in this process, as a worker would run it (rows, counters, finalising by
 * the last one), with one attempt each and the run's own checkpoint at every shard checkpoint.
 */
async function runInline<Config extends Record<string, unknown>>(
  { job, ctx }: Coordinator<Config>,
  runId: string,
  messages: readonly ShardMessage[],
  relay: ProgressRelay,
): Promise<void> {
  for (const message of messages) {
    try {
      await runShard(ctx.db, job, message, {
        log: ctx.log,
        onProgress: (done) => relay.set(message.index, done),
        checkpoint: ctx.checkpoint,
      });
    } catch (error) {
      throw shardFailed(job.name, message.index, message.count, error);
    }
  }
  if (messages.length === 0)
    await finaliseIfLast(ctx.db, job, { runId, index: NO_SHARD }, ctx, ctx.log);
  await ctx.checkpoint();
  await assertFinalised(job.name, await readRebuild(ctx.db, runId));
}

/**
 * Queues the shards and waits for the worker of the last one to swap the copies in, passing
 * their progress on and honouring the run's checkpoint meanwhile. A shard whose attempts are
 * spent, a failed swap, or the run's cancellation withdraws the shards not yet done.
 */
async function runQueued<Config extends Record<string, unknown>>(
  { job, ctx }: Coordinator<Config>,
  runId: string,
  dispatch: ShardDispatch,
  messages: readonly ShardMessage[],
  relay: ProgressRelay,
): Promise<void> {
  const ids = await dispatch.send(job.name, messages);
  try {
    await recordQueueJobIds(ctx.db, runId, ids);
    if (messages.length === 0)
      await finaliseIfLast(ctx.db, job, { runId, index: NO_SHARD }, ctx, ctx.log);
    for (;;) {
      const rebuild = await readRebuild(ctx.db, runId);
      if (rebuild.finalizedAt || rebuild.error) return assertFinalised(job.name, rebuild);
      await sleep(dispatch.pollIntervalMs);
      await ctx.checkpoint();
      const spent = await findSpentShard(ctx.db, job.name, runId, dispatch, relay);
      if (spent) throw spentError(job.name, messages.length, spent);
    }
  } catch (error) {
    await dispatch
      .cancel(job.name, ids)
      .catch((cause) =>
        ctx.log(`could not withdraw the shards of run ${runId}: ${describeDatabaseError(cause)}`),
      );
    throw error;
  }
}

interface SpentShard {
  row: ShardRow;
  state: QueueJobState | null;
}

/**
 * Reads the shards (passing their progress on) and finds one that is not DONE while its queue
 * job ended: the states are read before the rows, so a shard that completed meanwhile is DONE.
 */
async function findSpentShard(
  db: JobContext<unknown>["db"],
  jobName: string,
  runId: string,
  dispatch: ShardDispatch,
  relay: ProgressRelay,
): Promise<SpentShard | undefined> {
  const before = await readShards(db, runId);
  const states = new Map<number, QueueJobState | null>();
  for (const row of before) {
    if (row.status !== "DONE" && row.queueJobId) {
      states.set(row.shardIndex, await dispatch.state(jobName, row.queueJobId));
    }
  }
  const rows = await readShards(db, runId);
  for (const row of rows) relay.set(row.shardIndex, row.itemsProcessed);
  for (const row of rows) {
    const state = states.get(row.shardIndex);
    if (row.status !== "DONE" && state !== undefined && isSpent(state)) return { row, state };
  }
  return undefined;
}

function spentError(jobName: string, count: number, { row, state }: SpentShard): Error {
  const why =
    row.error ??
    `its last attempt left no result (queue job ${state ?? "gone"}: expired, or its worker was lost)`;
  return new Error(
    `${jobName}: shard ${row.shardIndex} of ${count} failed after ${row.attempt} attempt(s): ${why}`,
  );
}

/**
 * A shard that failed in this process, which gives each shard one attempt; a cancellation stays
 * one (the run is CANCELLED), and the only shard's error is the run's own, as it was unsharded.
 */
function shardFailed(jobName: string, index: number, count: number, error: unknown): unknown {
  if (error instanceof RunCancelled || count === 1) return error;
  return new Error(
    `${jobName}: shard ${index} of ${count} failed after 1 attempt(s): ${describeDatabaseError(error)}`,
    { cause: error },
  );
}

function assertFinalised(
  jobName: string,
  rebuild: { finalizedAt: Date | null; error: string | null },
): void {
  if (rebuild.finalizedAt) return;
  throw new Error(
    `${jobName}: every shard is done but the rebuild was not swapped in: ${rebuild.error ?? "nobody finalised it"}`,
  );
}
