import type { Database } from "@feed-jobs/db";
import type { z } from "zod";

/**
 * Glossary
 * - job: a versioned computation that precomputes one output table (a {@link JobDefinition}).
 * - run: one execution of a job, logged as a JobRun row; its clock is `ctx.now`.
 * - tick: one firing of a job's cron schedule.
 * - item: the unit a job counts (a viewer, a post, a user); an item that cannot be scored is
 *   counted as failed and the run goes on.
 * - budget: the rows a run may scan and write and the time it may take (seed "Performance Budgets").
 */

/** A cron schedule a job declares; `options` are what a tick passes to the run. */
export interface JobSchedule {
  /** Label shown by `schedule` and used as the distributed-tick key, e.g. "incremental". */
  readonly label: string;
  /** Five- or six-field cron expression (node-cron syntax). */
  readonly cron: string;
  /** IANA zone of the expression. Default: UTC. */
  readonly timezone?: string;
  /** Options for runs started by this schedule. Default: none (the job's default mode). */
  readonly options?: Partial<JobOptions>;
}

/** Seed "Performance Budgets": a run over these limits is flagged in its JobRun metadata. */
export interface JobBudget {
  readonly maxRowsScanned: number;
  readonly maxRowsWritten: number;
  readonly maxRuntimeMs: number;
}

/** Scope and mode of one run; which of these a job accepts is declared in `accepts`. */
export interface JobOptions {
  /** One viewer or user (match-scores, compatibility, affinity). */
  readonly userId?: string;
  /** One post (content-features). */
  readonly postId?: string;
  /** full: every item; incremental: only what changed. Default: the job's own choice. */
  readonly mode?: "full" | "incremental";
  /** Recompute everything even if unchanged (content-features after an algorithm change). */
  readonly all?: boolean;
  /** Compute and report, write nothing to output tables. Default: false. */
  readonly dryRun?: boolean;
}

export type JobOptionName = "userId" | "postId" | "mode" | "all";

/** What a job sees while it runs. The runner owns JobRun, locking, progress and errors. */
export interface JobContext<Config> {
  readonly db: Database;
  /** The run's clock ("now", or `--as-of`): inputs after it are ignored. Never read Date.now(). */
  readonly now: Date;
  readonly config: Config;
  readonly options: JobOptions;
  /** The version this run uses (config `algorithm`, default the job's `algorithmVersion`). */
  readonly algorithmVersion: string;
  log(message: string): void;
  /** Declares how many items the run expects to process, for progress. */
  setTotal(items: number): void;
  /** Counts items done (advances progress). */
  processed(items?: number): void;
  /** Counts one item that could not be scored; the run goes on. */
  failed(itemId: string, error: unknown): void;
  /**
   * Counts inputs left out before scoring, by reason (an ineligible person: "minor",
   * "noBirthDate", "deactivated", "deleted"; an invalid input: e.g. "invalidMaxDistance").
   * Summed per reason into the JobRun's `metadata.excluded`; not failures, not items.
   */
  excluded(reason: string, count?: number): void;
  /** Counts input rows read, checked against the budget. */
  scanned(rows: number): void;
  /** Counts output rows written (inserted, updated or deleted), checked against the budget. */
  written(rows: number): void;
  /** Records a job-specific fact in the JobRun's metadata. */
  note(key: string, value: unknown): void;
  /** Call between batches: throws {@link RunCancelled} when the run was cancelled or the process stops. */
  checkpoint(): Promise<void>;
  /**
   * Present only when `eval` or `tune` computes the job's output as of a past time (a dry run,
   * see `computeAsOf`): a dry run hands it what it would have written, batch by batch, in the
   * job's own row shape. Absent in every real run.
   */
  readonly collect?: (rows: readonly unknown[]) => void;
  /**
   * A full run of a job that declares `shard`: runs `job.shard` once per spec, into the rebuild
   * copies of the job's `rebuilds` tables (started here, before the first shard). Shards run in
   * this process one after another (the embedded database, dry runs, a run with no workers), or
   * as pg-boss jobs on any number of worker processes. The worker that completes the last shard
   * validates the copies (`validateRebuild`) and swaps them in. Resolves once they are swapped
   * in (a dry run: once every shard ran, with no copy), after adding the shards' progress,
   * failures, exclusions, rows and notes to this run's; throws when a shard's attempts are spent
   * (the copies dropped, the tables untouched: the run is FAILED).
   */
  distribute(specs: readonly ShardSpec[]): Promise<ShardOutcome>;
  /** Inside a shard (`job.shard`): which one it is. Absent in a run's own context. */
  readonly shard?: ShardPosition;
}

/** What one shard of a full run covers, as the job planned it: JSON (it travels in the queue). */
export type ShardSpec = Readonly<Record<string, unknown>>;

export interface ShardPosition {
  /** 0-based. */
  readonly index: number;
  readonly count: number;
  /** 1 for the first attempt, 2 for its first retry, … */
  readonly attempt: number;
}

export interface ShardOutcome {
  readonly shards: number;
  /** The shards' `ctx.note`s: numbers summed over shards, anything else the last shard's. */
  readonly notes: Readonly<Record<string, unknown>>;
}

export interface JobDefinition<Config extends Record<string, unknown> = Record<string, unknown>> {
  /** CLI command and JobRun.jobName, e.g. "match-scores". */
  readonly name: string;
  readonly description: string;
  /**
   * Written to every output row and JobRun; bump it whenever scores would change. With
   * `algorithms`, the default version (what a run uses unless config `algorithm` says otherwise).
   */
  readonly algorithmVersion: string;
  /**
   * Versions this job can run side by side, each with a one-line description; `run` reads the
   * chosen one from `ctx.algorithmVersion`. Absent: `algorithmVersion` is the only one.
   */
  readonly algorithms?: Readonly<Record<string, string>>;
  readonly schedules: readonly JobSchedule[];
  /** Config with the seed's defaults; every key can be overridden per run (`--set key=value`). */
  readonly config: z.ZodType<Config>;
  readonly budget: JobBudget;
  /** The scope options this job understands; the CLI offers only these. */
  readonly accepts: readonly JobOptionName[];
  /**
   * Output tables its full runs rebuild (`startRebuild` in @feed-jobs/db): a copy that an
   * interrupted run left is dropped at the start of every run of the job.
   */
  readonly rebuilds?: readonly string[];
  /** Does the work; may return a printable result (e.g. the top N of a dry run). */
  run(ctx: JobContext<Config>): Promise<unknown>;
  /**
   * One shard of a full run (see `JobContext.distribute`), in any process: scores the spec's
   * items and writes their rows into the rebuild copies (`rebuildCopyOf(table)`), first removing
   * whatever an earlier attempt of the same shard wrote there. Writes nothing in a dry run.
   */
  readonly shard?: (ctx: JobContext<Config>, spec: ShardSpec) => Promise<void>;
  /**
   * Checks the filled copies before they are swapped in (e.g. one bookkeeping row per viewer);
   * throwing fails the run and leaves the tables as they were.
   */
  readonly validateRebuild?: (ctx: JobContext<Config>) => Promise<void>;
}

/** Identity helper that keeps the config type inferred from the schema. */
export function defineJob<Config extends Record<string, unknown>>(
  job: JobDefinition<Config>,
): JobDefinition<Config> {
  return job;
}

/** Thrown by `checkpoint()` when a run must stop at a batch boundary. */
export class RunCancelled extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "RunCancelled";
  }
}
