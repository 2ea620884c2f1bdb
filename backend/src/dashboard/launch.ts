import type { Database } from "@feed-jobs/db";
import type { AnyJob } from "../jobs/catalog.ts";
import { DEFAULT_HEALTH_LIMITS } from "../monitoring/health.ts";
import { createAlerter } from "../scheduler/alerts.ts";
import { createExecutor, type Executor } from "../scheduler/execute.ts";
import { createMetrics } from "../scheduler/metrics.ts";

/**
 * Starts a MANUAL run of `job` in the serving process and settles when it ends; calls
 * `onStart` with the run's id once its row is written. The scheduler passes its executor
 * (metrics, alerts, graceful stop); `pnpm job dashboard` uses {@link backgroundRuns}.
 */
export type StartRun = (job: AnyJob, onStart: (runId: string) => void) => Promise<unknown>;

/**
 * Starts `job` without waiting for it: resolves with the run's id as soon as it has one, rejects
 * when it cannot start (another run holds the job's lock). A failure after the start is logged.
 */
export function launch(start: StartRun, job: AnyJob, log: (line: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    let started = false;
    start(job, (runId) => {
      started = true;
      resolve(runId);
    }).then(
      () => {
        if (!started) reject(new Error(`${job.name} ended without starting a run`));
      },
      (error: unknown) => {
        if (!started) reject(error);
        else log(`${job.name}: ${error instanceof Error ? error.message : error}`);
      },
    );
  });
}

/**
 * Runs started by the stand-alone dashboard go through the scheduler's executor too (the same
 * logs, monitoring and alerts); `stop` cancels them at their next checkpoint and waits for them.
 */
export function standaloneRuns(
  db: Database,
  catalog: readonly AnyJob[],
  log: (line: string) => void,
) {
  const shutdown = new AbortController();
  const executor = createExecutor({
    db,
    catalog,
    clock: () => new Date(),
    signal: shutdown.signal,
    log,
    metrics: createMetrics(
      db,
      catalog.map((job) => job.name),
    ),
    alerter: createAlerter({ log }),
    limits: DEFAULT_HEALTH_LIMITS,
  });
  return {
    start: executorStart(executor),
    /** True when every run ended within `timeoutMs`. */
    stop(timeoutMs: number): Promise<boolean> {
      shutdown.abort();
      return executor.drain(timeoutMs);
    },
  };
}

/** Whole-table MANUAL runs through `executor`, tracked for its graceful stop. */
export function executorStart(executor: Executor): StartRun {
  return (job, onStart) =>
    executor.track(
      executor.execute(job, { trigger: "MANUAL", options: {}, wholeTable: true, onStart }),
    );
}
