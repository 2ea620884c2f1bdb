import { randomUUID } from "node:crypto";
import {
  abandonRebuild,
  asUnavailable,
  type Database,
  DatabaseUnavailable,
  describeDatabaseError,
  type HeldLock,
  type JobStatus,
  type JobTrigger,
} from "@feed-jobs/db";
import { resolveRun } from "./algorithms.ts";
import { Counters } from "./counters.ts";
import {
  type JobBudget,
  type JobContext,
  type JobDefinition,
  type JobOptions,
  RunCancelled,
} from "./definition.ts";
import {
  findRunningRun,
  finishRun,
  insertRunningRun,
  jobLockKey,
  reapAbandonedRuns,
  recordCheckpoint,
} from "./job-runs.ts";
import {
  type ProgressReporter,
  type ProgressSink,
  type ProgressState,
  silentProgress,
} from "./progress.ts";
import { layerSettings, readSettings } from "./settings.ts";
import type { ShardDispatch } from "./shards/dispatch.ts";
import { distribute } from "./shards/distribute.ts";

/** How a run is started: by whom, for what, as of when, with which overrides. */
export interface RunRequest {
  /** Default: MANUAL. */
  trigger?: JobTrigger;
  options?: JobOptions;
  /**
   * Config keys to override for this run, laid over the job's stored settings (validated
   * against the job's schema). Default: none.
   */
  overrides?: Record<string, unknown>;
  /** Compute as if now were this time. Default: the wall clock at start. */
  asOf?: Date;
  /** Share of failed items above which the run is FAILED. Default: 0.05. */
  maxFailureShare?: number;
  progress?: ProgressSink;
  /** Aborting stops the run at its next checkpoint (graceful shutdown). */
  signal?: AbortSignal;
  /** The wall clock, for timing and JobRun timestamps. Default: () => new Date(). */
  clock?: () => Date;
  /** Called with the run's id once its RUNNING row is written (e.g. to show it while it runs). */
  onStart?: (runId: string) => void;
  /**
   * Where the shards of a full run go (`ctx.distribute`): the queue's workers, in a process that
   * has them. Absent, or on the embedded database: they run in this process, one after another.
   */
  shardDispatch?: ShardDispatch;
  /**
   * Asked once the job's lock is held, before anything is written: a reason returned declines
   * the run ({@link RunDeclined}, no JobRun). For a condition that another run of the job can
   * change, and that must therefore be read where no other run can start meanwhile.
   */
  precondition?: () => Promise<string | null>;
}

export interface RunSummary {
  runId: string;
  jobName: string;
  status: Exclude<JobStatus, "RUNNING">;
  durationMs: number;
  itemsProcessed: number;
  itemsFailed: number;
  error: string | null;
  metadata: Record<string, unknown>;
  /** What the job's run returned (e.g. a dry run's top N). */
  result: unknown;
}

/** Another run of the same job holds its lock (in this process or another). */
export class JobAlreadyRunning extends Error {
  constructor(
    readonly jobName: string,
    detail: string,
  ) {
    super(`${jobName} is already running${detail}; not starting a second run.`);
    this.name = "JobAlreadyRunning";
  }
}

/** The request's precondition, read under the job's lock, declined the run: nothing was recorded. */
export class RunDeclined extends Error {
  constructor(
    readonly jobName: string,
    readonly reason: string,
  ) {
    super(`${jobName} did not run: ${reason}`);
    this.name = "RunDeclined";
  }
}

const DEFAULT_MAX_FAILURE_SHARE = 0.05;

/**
 * Runs `job` once: validates its config (its stored settings under the request's overrides),
 * takes its lock, reaps abandoned runs, writes the JobRun row, gives the job its context, and
 * records the outcome. Job errors become a FAILED run (returned, not thrown); config errors
 * (stored settings that no longer validate too), lock refusal and a declined precondition are
 * thrown before any row is written.
 */
export async function runJob<Config extends Record<string, unknown>>(
  db: Database,
  job: JobDefinition<Config>,
  request: RunRequest = {},
): Promise<RunSummary> {
  // The job's stored settings under the request's own overrides: what scheduled runs use too.
  const stored = await readSettings(db, job.name).catch(
    unrecorded(db, job.name, "could not read its stored settings"),
  );
  const { overrides, settingsVersion } = layerSettings(job, stored, request.overrides ?? {});
  const { version, config } = resolveRun(job, overrides);
  const clock = request.clock ?? (() => new Date());
  const lock = await db
    .tryLock(jobLockKey(job.name))
    .catch(unrecorded(db, job.name, "could not take the job's lock"));
  if (!lock) throw new JobAlreadyRunning(job.name, await describeHolder(db, job.name));
  try {
    const declined = await request.precondition?.();
    if (declined) throw new RunDeclined(job.name, declined);
    const startedAt = clock();
    const reaped = await reapAbandonedRuns(db, job.name, startedAt);
    const runId = randomUUID();
    const options = request.options ?? {};
    await insertRunningRun(db, {
      id: runId,
      jobName: job.name,
      trigger: request.trigger ?? "MANUAL",
      scope: scopeOf(options),
      algorithmVersion: version,
      asOf: request.asOf ?? startedAt,
      startedAt,
    });
    request.onStart?.(runId);
    const progress = (request.progress ?? silentProgress).start(job.name);
    const state = new RunState(progress, clock, startedAt);
    const ctx = buildContext(db, job, { config, version }, options, request, runId, state, lock);
    if (reaped > 0) ctx.log(`marked ${reaped} abandoned RUNNING run(s) as FAILED`);
    let status: Exclude<JobStatus, "RUNNING"> = "SUCCESS";
    let error: string | null = null;
    let result: unknown;
    try {
      await dropLeftoverCopies(db, job.rebuilds, ctx.log);
      result = await job.run(ctx);
    } catch (caught) {
      status = caught instanceof RunCancelled ? "CANCELLED" : "FAILED";
      error = describeDatabaseError(caught);
      if (status === "FAILED" && caught instanceof Error && caught.stack) {
        state.notes.errorStack = caught.stack.split("\n").slice(0, 8).join("\n");
      }
    }
    const maxFailureShare = request.maxFailureShare ?? DEFAULT_MAX_FAILURE_SHARE;
    if (status === "SUCCESS" && state.failureShare() > maxFailureShare) {
      status = "FAILED";
      error = `${state.failed} of ${state.done + state.failed} items failed (${(100 * state.failureShare()).toFixed(1)}%, limit ${(100 * maxFailureShare).toFixed(1)}%)`;
    }
    const completedAt = clock();
    const durationMs = completedAt.getTime() - startedAt.getTime();
    const metadata = state.metadata(job.budget, durationMs, {
      overrides,
      settingsVersion,
      config,
      maxFailureShare,
    });
    await finishRun(db, runId, {
      status,
      completedAt,
      duration: durationMs,
      itemsProcessed: state.done,
      itemsFailed: state.failed,
      error,
      metadata,
    }).catch(
      unrecorded(
        db,
        job.name,
        `run ${runId} ended ${status}${error ? ` (${error})` : ""} but could not be recorded; the next run of ${job.name} marks it abandoned`,
      ),
    );
    state.progress.finish(state.snapshot());
    return {
      runId,
      jobName: job.name,
      status,
      durationMs,
      itemsProcessed: state.done,
      itemsFailed: state.failed,
      error,
      metadata,
      result,
    };
  } finally {
    await lock.release();
  }
}

/**
 * Rethrows a failure of the runner's own database work naming the job: as DatabaseUnavailable
 * when the database cannot be used (the CLI's exit code 4), else as a plain error.
 */
function unrecorded(db: Database, jobName: string, what: string) {
  return (error: unknown): never => {
    const unavailable = asUnavailable(error, db.location);
    const message = `${jobName}: ${what}: ${unavailable?.message ?? describeDatabaseError(error)}`;
    throw unavailable
      ? new DatabaseUnavailable(message, { cause: error })
      : new Error(message, { cause: error });
  };
}

/** A rebuild copy left by a killed run is dropped by the next run of its job, of any kind. */
async function dropLeftoverCopies(
  db: Database,
  tables: readonly string[] | undefined,
  log: (message: string) => void,
) {
  if (!tables?.length) return;
  const dropped = await abandonRebuild(db.prisma, tables);
  if (dropped.length > 0) log(`dropped ${dropped.join(", ")}, left by an interrupted rebuild`);
}

function buildContext<Config extends Record<string, unknown>>(
  db: Database,
  job: JobDefinition<Config>,
  { config, version }: { config: Config; version: string },
  options: JobOptions,
  request: RunRequest,
  runId: string,
  state: RunState,
  lock: HeldLock,
): JobContext<Config> {
  const ctx: JobContext<Config> = {
    db,
    now: request.asOf ?? state.startedAt,
    config,
    options,
    algorithmVersion: version,
    log: (message) => state.progress.log(message),
    ...state.methods(),
    distribute: (specs) =>
      distribute({ job, ctx, counters: state, runId, dispatch: request.shardDispatch }, specs),
    checkpoint: async () => {
      // Let the event loop handle signals and timers (shutdown, heartbeats): the embedded
      // database answers without I/O, so a run on it would otherwise never give them a turn.
      await new Promise((resolve) => setImmediate(resolve));
      if (request.signal?.aborted)
        throw new RunCancelled("cancelled: the process is shutting down");
      // Without its lock another run may start: stop rather than write beside it.
      if (lock.lost) {
        throw new DatabaseUnavailable(`${job.name} no longer holds its lock: ${lock.lost.message}`);
      }
      const { done, failed, total } = state.snapshot();
      const progress = { done, failed, total: total ?? null, at: state.clock() };
      if ((await recordCheckpoint(db, runId, progress)).cancelRequested)
        throw new RunCancelled("cancelled by an operator");
    },
  };
  return ctx;
}

/** Counters of one run, its live progress, and its JobRun metadata. */
class RunState extends Counters {
  constructor(
    readonly progress: ProgressReporter,
    readonly clock: () => Date,
    readonly startedAt: Date,
  ) {
    super(() => this.report());
  }

  snapshot(): ProgressState {
    return {
      done: this.done,
      failed: this.failed,
      total: this.total,
      elapsedMs: this.clock().getTime() - this.startedAt.getTime(),
    };
  }

  report(): void {
    this.progress.update(this.snapshot());
  }

  metadata(budget: JobBudget, durationMs: number, extra: Record<string, unknown>) {
    const budgetExceeded = {
      rowsScanned: this.rowsScanned > budget.maxRowsScanned,
      rowsWritten: this.rowsWritten > budget.maxRowsWritten,
      runtime: durationMs > budget.maxRuntimeMs,
    };
    return {
      rowsScanned: this.rowsScanned,
      rowsWritten: this.rowsWritten,
      budget,
      budgetExceeded,
      overBudget: Object.values(budgetExceeded).some(Boolean),
      ...(this.failureSamples.length > 0 ? { failures: this.failureSamples } : {}),
      ...(Object.keys(this.excluded).length > 0 ? { excluded: this.excluded } : {}),
      ...extra,
      ...this.notes,
    };
  }
}

function scopeOf(options: JobOptions): Record<string, unknown> | null {
  const scope = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return Object.keys(scope).length > 0 ? scope : null;
}

async function describeHolder(db: Database, jobName: string): Promise<string> {
  const running = await findRunningRun(db, jobName);
  if (!running) return "";
  const where = running.host ? ` on ${running.host} (pid ${running.pid})` : "";
  return ` (run ${running.id}${where}, started ${running.startedAt.toISOString()})`;
}
