import { hostname } from "node:os";
import {
  type Database,
  isProcessAlive,
  type JobStatus,
  type JobTrigger,
  type Prisma,
} from "@feed-jobs/db";

export type JobRun = Prisma.JobRunModel;

/** Repository functions for the JobRun log: the only place that writes job_runs. */

export interface StartRun {
  id: string;
  jobName: string;
  trigger: JobTrigger;
  scope: Record<string, unknown> | null;
  algorithmVersion: string;
  asOf: Date;
  startedAt: Date;
}

export async function insertRunningRun(db: Database, run: StartRun): Promise<void> {
  await db.prisma.jobRun.create({
    data: {
      ...run,
      scope: (run.scope ?? undefined) as Prisma.InputJsonValue | undefined,
      status: "RUNNING",
      host: hostname(),
      pid: process.pid,
    },
  });
}

/** The lock a run of `jobName` holds from before its RUNNING row is written until after it is finished. */
export const jobLockKey = (jobName: string) => `job:${jobName}`;

type RunOwner = Pick<JobRun, "jobName" | "host" | "pid">;

/**
 * Why a RUNNING run's process is known to be gone, or null while it may be alive: its process
 * on this host is not alive, or nobody holds its job's lock (a live run holds it throughout).
 */
export async function abandonment(db: Database, run: RunOwner): Promise<string | null> {
  const owner = `process ${run.pid ?? "?"} on host ${run.host ?? "?"}`;
  if (run.host === hostname() && run.pid !== null && !isProcessAlive(run.pid)) {
    return `abandoned: ${owner} is gone`;
  }
  if (!(await db.isLockHeld(jobLockKey(run.jobName)))) {
    return `abandoned: nobody holds ${run.jobName}'s lock (it ran as ${owner})`;
  }
  return null;
}

export interface AbandonedRun {
  run: JobRun;
  /** Why its process is known to be gone. */
  reason: string;
}

/** RUNNING runs (of `jobName`, or of every job) whose process is gone: see {@link abandonment}. */
export async function findAbandonedRuns(db: Database, jobName?: string): Promise<AbandonedRun[]> {
  const running = await db.prisma.jobRun.findMany({
    where: { status: "RUNNING", ...(jobName ? { jobName } : {}) },
    orderBy: { startedAt: "asc" },
  });
  const found: AbandonedRun[] = [];
  for (const run of running) {
    const reason = await abandonment(db, run);
    if (reason) found.push({ run, reason });
  }
  return found;
}

/**
 * Records an abandoned run FAILED with `reason`. Matches only while it is still RUNNING, so a
 * run that finished meanwhile keeps its own outcome. False when it was no longer RUNNING.
 */
export async function markAbandoned(
  db: Database,
  runId: string,
  reason: string,
  now: Date,
): Promise<boolean> {
  const { count } = await db.prisma.jobRun.updateMany({
    where: { id: runId, status: "RUNNING" },
    data: { status: "FAILED", completedAt: now, error: reason },
  });
  return count === 1;
}

/**
 * Marks RUNNING rows of `jobName` as FAILED. Called while holding the job's lock, so any
 * RUNNING row left is from a process that died mid-run.
 */
export async function reapAbandonedRuns(db: Database, jobName: string, now: Date): Promise<number> {
  const running = await db.prisma.jobRun.findMany({ where: { jobName, status: "RUNNING" } });
  for (const run of running) {
    const reason = `abandoned: process ${run.pid ?? "?"} on host ${run.host ?? "?"} stopped before recording a result`;
    await markAbandoned(db, run.id, reason, now);
  }
  return running.length;
}

export interface FinishRun {
  status: Exclude<JobStatus, "RUNNING">;
  completedAt: Date;
  duration: number;
  itemsProcessed: number;
  itemsFailed: number;
  error: string | null;
  metadata: Record<string, unknown>;
}

export async function finishRun(db: Database, id: string, finish: FinishRun): Promise<void> {
  await db.prisma.jobRun.update({
    where: { id },
    data: { ...finish, metadata: finish.metadata as Prisma.InputJsonValue },
  });
}

/** Where a RUNNING run stands, as of its latest checkpoint: what the dashboard shows live. */
export interface RunProgress {
  done: number;
  failed: number;
  total: number | null;
  at: Date;
}

/**
 * Records a run's progress in its metadata (replaced by the final metadata when it finishes)
 * and tells whether an operator asked it to stop.
 */
export async function recordCheckpoint(
  db: Database,
  id: string,
  progress: RunProgress,
): Promise<{ cancelRequested: boolean }> {
  const run = await db.prisma.jobRun.update({
    where: { id },
    data: { metadata: { progress: { ...progress, at: progress.at.toISOString() } } },
    select: { cancelRequestedAt: true },
  });
  return { cancelRequested: run.cancelRequestedAt !== null };
}

export async function findRunningRun(db: Database, jobName: string) {
  return db.prisma.jobRun.findFirst({
    where: { jobName, status: "RUNNING" },
    orderBy: { startedAt: "desc" },
  });
}

/** Runs whose id starts with `prefix` (at most two: enough to tell unique from ambiguous). */
export async function findRunsByIdPrefix(db: Database, prefix: string) {
  return db.prisma.jobRun.findMany({ where: { id: { startsWith: prefix } }, take: 2 });
}

/**
 * Asks a RUNNING run to stop: its next `ctx.checkpoint()` throws RunCancelled and the runner
 * records it CANCELLED. False when the run is not RUNNING.
 */
export async function requestCancel(db: Database, id: string, now: Date): Promise<boolean> {
  const { count } = await db.prisma.jobRun.updateMany({
    where: { id, status: "RUNNING" },
    data: { cancelRequestedAt: now },
  });
  return count === 1;
}

/**
 * The clock of the latest successful run of `jobName` that evaluated every user (full or
 * incremental, not a dry run, not one user): every input up to it has been looked at. Given
 * `algorithmVersion`, null when that run used another version: its rows are not this version's,
 * so nothing counts as looked at.
 */
export async function lastCompleteRunAsOf(
  db: Pick<Prisma.TransactionClient, "$queryRaw">,
  jobName: string,
  now: Date,
  algorithmVersion?: string,
): Promise<Date | null> {
  const rows = await db.$queryRaw<{ as_of: Date; algorithm_version: string }[]>`
    SELECT as_of, algorithm_version FROM job_runs
    WHERE job_name = ${jobName} AND status = 'SUCCESS' AND as_of <= ${now}::timestamp
      AND (scope IS NULL OR (scope->>'userId' IS NULL AND coalesce(scope->>'dryRun', 'false') <> 'true'))
    ORDER BY as_of DESC, started_at DESC LIMIT 1`;
  const last = rows[0];
  if (!last || (algorithmVersion !== undefined && last.algorithm_version !== algorithmVersion)) {
    return null;
  }
  return last.as_of;
}
