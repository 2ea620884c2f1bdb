import type { Database } from "@feed-jobs/db";
import {
  JobAlreadyRunning,
  type Queue,
  type QueuedJob,
  RunDeclined,
  type RunMessage,
  type RunSummary,
  runQueue,
} from "@feed-jobs/jobs";
import type { AnyJob } from "../jobs/catalog.ts";
import { missingScopeTarget } from "../jobs/scope-targets.ts";
import { isPaused } from "./controls.ts";
import type { Executor } from "./execute.ts";
import type { Metrics } from "./metrics.ts";
import { tickTask } from "./schedules.ts";

export interface WorkerOptions {
  /** A request whose job is busy (its lock held) or paused is queued again this much later (s). Default: 5. */
  busyRetrySeconds?: number;
}

export interface WorkerDeps {
  queue: Queue;
  db: Database;
  jobs: readonly AnyJob[];
  clock: () => Date;
  /** Aborted on shutdown: a run in progress stops at its next checkpoint and goes back to the queue. */
  signal: AbortSignal;
  executor: Executor;
  metrics: Metrics;
  log(line: string): void;
}

/**
 * What a taken request ended as: pg-boss keeps it as the job's output, for `requests`.
 * `requeued` is the id of the request queued in its place (null: a queued twin took it over).
 */
export type Outcome =
  | { runId: string; status: RunSummary["status"] }
  | { requeued: string | null; reason: string }
  | { skipped: string }
  | { error: string };

/**
 * A run that ended FAILED: thrown so that pg-boss retries the request with backoff, and moves
 * it to the dead letters once its attempts are spent. pg-boss keeps its fields as the output.
 */
export class RunFailed extends Error {
  constructor(
    message: string,
    readonly runId: string,
  ) {
    super(message);
    this.name = "RunFailed";
  }
}

/**
 * The run-queue worker: one pg-boss subscription per job (`run.<job>`, one request at a time per
 * job in this process, any number of processes), each running the request's job with its
 * trigger (EVENT or CRON) and options. A failed run throws (pg-boss retries it with backoff,
 * then dead-letters it); a busy or paused job, or a shutdown mid-run, puts the request back
 * without spending an attempt; a deleted post or user ends it at once. A run cancelled by a
 * shutdown is sent again rather than failed: stopping is not the run's fault, and a failed
 * attempt would also wait out the retry backoff before another worker takes it. pg-boss gives a
 * handler the queue's expiry (FEED_JOBS_RUN_EXPIRE_SECONDS) before it retries the request
 * elsewhere: it must exceed the longest run. Stop it with `queue.offWork(runQueue(job))` before
 * aborting the signal.
 */
export async function workRunQueues(
  deps: WorkerDeps,
  options: WorkerOptions & { pollingIntervalSeconds: number },
): Promise<void> {
  const busyRetrySeconds = options.busyRetrySeconds ?? 5;
  const work = {
    batchSize: 1,
    includeMetadata: true as const,
    pollingIntervalSeconds: options.pollingIntervalSeconds,
  };
  for (const job of deps.jobs) {
    await deps.queue.work<RunMessage>(runQueue(job.name), work, async ([request]) => {
      if (request) return deps.executor.track(handle(deps, job, request, busyRetrySeconds));
    });
  }
}

async function handle(
  deps: WorkerDeps,
  job: AnyJob,
  request: QueuedJob<RunMessage>,
  busyRetrySeconds: number,
): Promise<Outcome> {
  const { trigger, options } = request.data;
  const label = `request ${request.id.slice(0, 8)} (${job.name} ${request.singletonKey ?? ""}, attempt ${request.retryCount + 1} of ${request.retryLimit + 1})`;
  // Taken while stopping (pg-boss's last fetch): not this process's to start.
  if (deps.signal.aborted) return requeue(deps, job, request, 0, "the worker is stopping");
  // Behind by more than its schedule's period (workers busy or away): the queue drains to the
  // latest tick. One later tick waiting is usual for a schedule as fast as the polling; one
  // already started means this tick's output would replace a newer one's. Looked at here to spare
  // the work below; the run asks again under its job's lock, where no later tick can run meanwhile.
  const later = await laterTicks(deps, request);
  if (later.started > 0 || later.queued >= 2) {
    return skipTick(deps, job, request, "busy", "later ticks of its schedule are queued");
  }
  if (await isPaused(deps.db, job.name)) {
    // A tick of a paused job is skipped, as when the scheduler sees the pause; a request waits.
    if (request.data.tick) return skipTick(deps, job, request, "paused", `${job.name} is paused`);
    return requeue(deps, job, request, busyRetrySeconds, `${job.name} is paused`);
  }
  const missing = await missingScopeTarget(deps.db, options);
  if (missing) {
    // A permanent error: another attempt would find the same.
    deps.log(`${label}: FAILED — ${missing}`);
    return { error: missing };
  }
  deps.log(`${label}: running`);
  let summary: RunSummary;
  try {
    summary = await deps.executor.execute(job, {
      trigger,
      options,
      // A tick computes as of its scheduled time, as the schedule says.
      ...(trigger === "CRON" ? { asOf: new Date(request.data.requestedAt) } : {}),
      precondition: () => overtaken(deps, request),
    });
  } catch (error) {
    if (error instanceof RunDeclined) return skipTick(deps, job, request, "busy", error.reason);
    if (!(error instanceof JobAlreadyRunning)) throw error;
    return requeue(deps, job, request, busyRetrySeconds, `busy: ${error.message}`);
  }
  if (summary.status === "FAILED") {
    throw new RunFailed(summary.error ?? "the run failed", summary.runId);
  }
  if (summary.status === "CANCELLED" && deps.signal.aborted) {
    deps.log(`${label}: back in the queue for the next worker`);
    return requeue(deps, job, request, 0, "the worker stopped mid-run");
  }
  if (summary.status === "CANCELLED") {
    // An operator's cancel is final: the request is cancelled, not retried.
    await deps.queue.cancel(request.name, request.id);
  }
  return { runId: summary.runId, status: summary.status };
}

/**
 * Queues `request` again `delaySeconds` from now, under the same singleton key and data, and
 * lets this one complete: no attempt is spent. A tick whose schedule has queued a later tick
 * meanwhile is skipped instead: the later one takes over, so a busy job does not pile up ticks.
 */
async function requeue(
  deps: WorkerDeps,
  job: AnyJob,
  request: QueuedJob<RunMessage>,
  delaySeconds: number,
  reason: string,
): Promise<Outcome> {
  const later = await laterTicks(deps, request);
  if (later.queued + later.started > 0) {
    return skipTick(
      deps,
      job,
      request,
      "busy",
      `${reason}; a later tick of its schedule is queued`,
    );
  }
  const requeued = await deps.queue.send(request.name, request.data, {
    ...(request.singletonKey ? { singletonKey: request.singletonKey } : {}),
    ...(delaySeconds > 0 ? { startAfter: delaySeconds } : {}),
  });
  return { requeued, reason };
}

/**
 * Why `request` must not run, asked under its job's lock: a later tick of its schedule has
 * started. Asked before the lock, a later tick could start, run and finish before this one took
 * it, and this one would then replace the newer output with older.
 */
async function overtaken(deps: WorkerDeps, request: QueuedJob<RunMessage>): Promise<string | null> {
  const later = await laterTicks(deps, request);
  return later.started > 0 ? "a later tick of its schedule has started" : null;
}

/**
 * The later ticks of `request`'s schedule (keys of one schedule sort by time): waiting in the
 * queue, and started (running or done: a tick put back while the job was busy must not run
 * after them); none for an event request.
 */
async function laterTicks(
  deps: WorkerDeps,
  request: QueuedJob<RunMessage>,
): Promise<{ queued: number; started: number }> {
  const tick = request.data.tick;
  if (!tick) return { queued: 0, started: 0 };
  const { rows } = await deps.db.executeSql(
    `SELECT count(*) FILTER (WHERE state IN ('created', 'retry'))::int AS queued,
            count(*) FILTER (WHERE state IN ('active', 'completed'))::int AS started
     FROM pgboss.job
     WHERE name = $1 AND starts_with(singleton_key, $2) AND singleton_key > $3`,
    [request.name, `${tickTask(tick)}:`, tick],
  );
  return { queued: Number(rows[0]?.queued ?? 0), started: Number(rows[0]?.started ?? 0) };
}

function skipTick(
  deps: WorkerDeps,
  job: AnyJob,
  request: QueuedJob<RunMessage>,
  reason: "paused" | "busy",
  detail: string,
): Outcome {
  deps.metrics.recordSkip(job.name, reason);
  deps.log(`${request.data.tick} skipped: ${detail}`);
  return { skipped: detail };
}
