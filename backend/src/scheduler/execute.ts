import type { Database, JobTrigger } from "@feed-jobs/db";
import {
  type JobOptions,
  lineProgress,
  type RunSummary,
  runJob,
  type ShardDispatch,
} from "@feed-jobs/jobs";
import type { AnyJob } from "../jobs/catalog.ts";
import type { HealthLimits } from "../monitoring/health.ts";
import { observeRun } from "../monitoring/observe.ts";
import type { Alerter } from "./alerts.ts";
import type { Metrics } from "./metrics.ts";

export interface ExecutorDeps {
  db: Database;
  /** For SLAs in alert conditions. */
  catalog: readonly AnyJob[];
  clock: () => Date;
  /** Aborted on shutdown: runs stop at their next checkpoint and are recorded CANCELLED. */
  signal: AbortSignal;
  log(line: string): void;
  metrics: Metrics;
  alerter: Alerter;
  limits: HealthLimits;
  /**
   * Where full runs send their shards: given by processes that work shard queues on PostgreSQL,
   * so that a run's shards spread over every worker. Absent: shards run in the run's process.
   */
  shardDispatch?: ShardDispatch | undefined;
}

export interface ScheduledRun {
  trigger: JobTrigger;
  options: JobOptions;
  /** Default: the clock at start. */
  asOf?: Date;
  /** Whether the run covers the whole table, for monitoring. Default: CRON runs do. */
  wholeTable?: boolean;
  /** Told the run's id once its row is written (the dashboard's "run now"). */
  onStart?: (runId: string) => void;
  /** Asked under the job's lock before the run starts: a reason declines it (`RunDeclined`). */
  precondition?: () => Promise<string | null>;
}

/**
 * Runs jobs for the scheduler (ticks and event requests alike) and keeps track of what is in
 * flight, so that shutdown can wait for it. After each run: metrics, then the monitoring
 * observation and its alerts; a monitoring failure is logged and never fails the run.
 */
export function createExecutor(deps: ExecutorDeps) {
  const inflight = new Set<Promise<unknown>>();
  const progress = lineProgress((line) => deps.log(line), 30_000);

  async function execute(job: AnyJob, run: ScheduledRun): Promise<RunSummary> {
    const summary = await runJob(deps.db, job, {
      trigger: run.trigger,
      options: run.options,
      ...(run.asOf ? { asOf: run.asOf } : {}),
      signal: deps.signal,
      clock: deps.clock,
      progress,
      onStart: run.onStart,
      precondition: run.precondition,
      ...(deps.shardDispatch ? { shardDispatch: deps.shardDispatch } : {}),
    });
    deps.metrics.recordRun(summary, run.trigger);
    deps.log(
      `${job.name} (${run.trigger}): ${summary.status} in ${summary.durationMs} ms, ${summary.itemsProcessed} items` +
        `${summary.error ? ` — ${summary.error}` : ""} (run ${summary.runId})`,
    );
    try {
      const observed = await observeRun(
        deps.db,
        { job, trigger: run.trigger, summary, now: deps.clock(), wholeTable: run.wholeTable },
        deps.catalog,
        deps.limits,
      );
      if (observed.table?.drifted) {
        deps.log(
          `${observed.table.table}: score distribution drifted (${observed.table.drift?.toFixed(2)} of the previous spread)`,
        );
      }
      await deps.alerter.update(observed.checks);
    } catch (error) {
      deps.log(
        `monitoring after ${job.name} failed: ${error instanceof Error ? error.message : error}`,
      );
    }
    return summary;
  }

  /** Counts `work` as in flight until it settles. */
  function track<T>(work: Promise<T>): Promise<T> {
    inflight.add(work);
    const forget = () => inflight.delete(work);
    work.then(forget, forget);
    return work;
  }

  /**
   * Waits for the work in flight, including work it starts meanwhile (a claimed tick starts its
   * run a few promise steps after the claim settles), at most `timeoutMs`; true when all finished.
   */
  async function drain(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const settled = (async () => {
      while (inflight.size > 0) {
        await Promise.allSettled([...inflight]);
        await new Promise((resolve) => setImmediate(resolve));
      }
      return true as const;
    })();
    const finished = await Promise.race([settled, timedOut]);
    clearTimeout(timer);
    return finished;
  }

  return { execute, track, drain };
}

export type Executor = ReturnType<typeof createExecutor>;
