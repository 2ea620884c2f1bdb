import { setTimeout as sleep } from "node:timers/promises";
import { type Database, describeDatabaseError } from "@feed-jobs/db";
import {
  claimNext,
  complete,
  fail,
  heartbeat,
  JobAlreadyRunning,
  type JobRequest,
  type RequestScope,
  type RunSummary,
  recoverAbandoned,
  release,
} from "@feed-jobs/jobs";
import type { AnyJob } from "../jobs/catalog.ts";
import { missingScopeTarget } from "../jobs/scope-targets.ts";
import { pausedJobs } from "./controls.ts";
import type { Executor } from "./execute.ts";
import { retryWhileUnavailable } from "./unavailable.ts";

export interface WorkerOptions {
  /** How long the worker waits before looking again when nothing is due (ms). Default: 1000. */
  pollIntervalMs?: number;
  /** Base of the retry backoff: 1×, 2×, 4× this after failed attempts (ms). Default: 60_000. */
  retryBaseMs?: number;
  /** How often the worker running a request beats its heartbeat (ms). Default: 15 s. */
  heartbeatIntervalMs?: number;
  /**
   * A claim whose heartbeat is older than this, while nobody holds its job's lock, belongs to a
   * dead worker and is retried (ms). Default: 2 min.
   */
  staleAfterMs?: number;
  /** When the job is busy (a scheduled run holds its lock), try the request again after this (ms). Default: 5000. */
  busyRetryMs?: number;
}

export interface WorkerDeps {
  db: Database;
  jobs: readonly AnyJob[];
  /** host:pid of this scheduler, recorded on claimed requests. */
  owner: string;
  clock: () => Date;
  /** Aborting stops the loop; a run in progress stops at its next checkpoint. */
  signal: AbortSignal;
  executor: Executor;
  log(line: string): void;
}

/**
 * The event worker: claims due requests one at a time (SKIP LOCKED, so any number of
 * schedulers can share the queue) and runs them with trigger EVENT. Requests of paused jobs
 * stay queued. While the database cannot be used, claims are retried with the ticks' backoff
 * (1 s, 2 s, 4 s, … at most 60 s; one short line each) instead of every poll. Resolves when the
 * signal is aborted and the current request is settled.
 */
export async function runWorker(deps: WorkerDeps, options: WorkerOptions = {}): Promise<void> {
  const settings = {
    pollIntervalMs: options.pollIntervalMs ?? 1_000,
    retryBaseMs: options.retryBaseMs ?? 60_000,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 15_000,
    staleAfterMs: options.staleAfterMs ?? 120_000,
    busyRetryMs: options.busyRetryMs ?? 5_000,
  };
  const jobs = new Map(deps.jobs.map((job) => [job.name, job]));
  const { db, signal, clock, log } = deps;
  const retry = { db, signal, clock, log, what: "worker", deadline: null };
  while (!deps.signal.aborted) {
    let claimed: JobRequest | null = null;
    try {
      claimed = await retryWhileUnavailable(
        () => claimDue(deps, [...jobs.keys()], settings),
        retry,
      );
      if (claimed) {
        const job = jobs.get(claimed.jobName);
        if (job) await deps.executor.track(whileBeating(deps, claimed, settings, job));
      }
    } catch (error) {
      deps.log(`worker: ${describeDatabaseError(error)}`);
    }
    if (!claimed)
      await sleep(settings.pollIntervalMs, undefined, { signal: deps.signal }).catch(
        () => undefined,
      );
  }
}

/** Takes back requests of dead workers, then claims the next due request of `jobs`, if any. */
async function claimDue(
  deps: WorkerDeps,
  jobs: string[],
  settings: Required<WorkerOptions>,
): Promise<JobRequest | null> {
  const now = deps.clock();
  await recoverAbandoned(deps.db, now, settings.staleAfterMs);
  const skip = (await pausedJobs(deps.db)).map((pause) => pause.jobName);
  return claimNext(deps.db, now, { owner: deps.owner, jobs, skip });
}

/** Handles `request`, beating its heartbeat meanwhile so that no other worker takes it over. */
async function whileBeating(
  deps: WorkerDeps,
  request: JobRequest,
  settings: Required<WorkerOptions>,
  job: AnyJob,
): Promise<void> {
  const beat = () =>
    heartbeat(deps.db, request, deps.clock()).catch((error: unknown) =>
      deps.log(
        `request ${request.id.slice(0, 8)}: heartbeat failed: ${describeDatabaseError(error)}`,
      ),
    );
  const timer = setInterval(beat, settings.heartbeatIntervalMs);
  try {
    await handle(deps, job, request, settings);
  } finally {
    clearInterval(timer);
  }
}

async function handle(
  deps: WorkerDeps,
  job: AnyJob,
  request: JobRequest,
  settings: Required<WorkerOptions>,
): Promise<void> {
  const label = `request ${request.id.slice(0, 8)} (${job.name} ${request.scopeKey}, attempt ${request.attempts})`;
  const scope = request.scope as RequestScope;
  const missing = await missingScopeTarget(deps.db, scope);
  if (missing) {
    // A permanent error: another attempt would find the same.
    const failure = { now: deps.clock(), error: missing, retryBaseMs: settings.retryBaseMs };
    await fail(deps.db, request, { ...failure, final: true });
    deps.log(`${label}: FAILED — ${missing}`);
    return;
  }
  deps.log(`${label}: running`);
  let summary: RunSummary;
  try {
    summary = await deps.executor.execute(job, {
      trigger: "EVENT",
      options: scope,
    });
  } catch (error) {
    if (error instanceof JobAlreadyRunning) {
      const runAfter = new Date(deps.clock().getTime() + settings.busyRetryMs);
      await release(deps.db, request, { runAfter, reason: `busy: ${error.message}` });
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    const outcome = await fail(deps.db, request, {
      now: deps.clock(),
      error: message,
      retryBaseMs: settings.retryBaseMs,
    });
    deps.log(`${label}: ${outcome} — ${message}`);
    return;
  }
  const now = deps.clock();
  if (summary.status === "SUCCESS") {
    await complete(deps.db, request, { now, runId: summary.runId });
  } else if (summary.status === "CANCELLED" && deps.signal.aborted) {
    await release(deps.db, request, {
      runAfter: now,
      reason: "released: the scheduler stopped mid-run",
    });
    deps.log(`${label}: released for the next scheduler`);
  } else {
    const outcome = await fail(deps.db, request, {
      now,
      error: summary.error ?? summary.status,
      runId: summary.runId,
      retryBaseMs: settings.retryBaseMs,
      final: summary.status === "CANCELLED",
    });
    deps.log(`${label}: ${outcome} — ${summary.error}`);
  }
}
