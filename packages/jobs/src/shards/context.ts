import type { Database } from "@feed-jobs/db";
import type { Counters } from "../counters.ts";
import type { JobContext, JobOptions, ShardPosition } from "../definition.ts";
import type { ShardMessage } from "../queue/messages.ts";

/** What every shard of one run shares with it: its clock, version, config and options. */
export interface ShardRun<Config> {
  readonly db: Database;
  readonly now: Date;
  readonly config: Config;
  readonly options: JobOptions;
  readonly algorithmVersion: string;
  /** A dry run's sink (see `JobContext.collect`). */
  readonly collect?: (rows: readonly unknown[]) => void;
}

/** The run a queued shard belongs to, as its message carries it (config validated by the run). */
export function shardRunOf<Config>(db: Database, message: ShardMessage): ShardRun<Config> {
  return {
    db,
    now: new Date(message.asOf),
    config: message.config as Config,
    options: message.options,
    algorithmVersion: message.algorithmVersion,
  };
}

/**
 * A shard's context: the run's inputs, the shard's own counters and checkpoint. Without a
 * position: the context `validateRebuild` gets from the worker that finalises the run.
 */
export function shardContext<Config>(
  run: ShardRun<Config>,
  position: ShardPosition | undefined,
  counters: Counters,
  log: (message: string) => void,
  checkpoint: () => Promise<void>,
): JobContext<Config> {
  return {
    db: run.db,
    now: run.now,
    config: run.config,
    options: run.options,
    algorithmVersion: run.algorithmVersion,
    log,
    ...counters.methods(),
    checkpoint,
    ...(run.collect ? { collect: run.collect } : {}),
    ...(position ? { shard: position } : {}),
    distribute: () =>
      Promise.reject(new Error("distribute was called inside a shard: only a run can distribute")),
  };
}

/** Lets the event loop handle signals and timers between batches (see the runner's checkpoint). */
export const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
