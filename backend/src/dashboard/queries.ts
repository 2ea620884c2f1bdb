import type { Database, JobStatus } from "@feed-jobs/db";
import { listRequests } from "@feed-jobs/jobs";

/** Read queries only the dashboard needs; the rest come from monitoring and the CLI's repositories. */

export interface TrendPoint {
  jobName: string;
  startedAt: Date;
  duration: number;
  status: JobStatus;
}

/** The durations of each job's last `perJob` finished runs, oldest first. */
export async function durationTrends(db: Database, perJob: number): Promise<TrendPoint[]> {
  return db.prisma.$queryRaw<TrendPoint[]>`
    SELECT "jobName", "startedAt", duration, status FROM (
      SELECT job_name AS "jobName", started_at AS "startedAt", duration, status::text AS status,
             row_number() OVER (PARTITION BY job_name ORDER BY started_at DESC) AS newest
      FROM job_runs WHERE status <> 'RUNNING' AND duration IS NOT NULL) AS runs
    WHERE newest <= ${perJob}
    ORDER BY "jobName", "startedAt"`;
}

export async function runningRuns(db: Database) {
  return db.prisma.jobRun.findMany({ where: { status: "RUNNING" }, orderBy: { startedAt: "asc" } });
}

export async function findRun(db: Database, id: string) {
  return db.prisma.jobRun.findUnique({ where: { id } });
}

/** The requests whose last attempt was this run (a run is one request's, or a retry's). */
export async function requestsOfRun(db: Database, runId: string) {
  return listRequests(db, { runId, limit: 20 });
}

export interface Tick {
  /** The tick's scheduled time. */
  slot: Date;
  claimedBy: string;
  claimedAt: Date;
  completedAt: Date | null;
}

/**
 * The newest `count` claimed ticks of a schedule's task: node-cron keys them
 * `<task name>:<scheduled ISO time>` (see coordinator.ts).
 */
export async function lastTicks(db: Database, taskName: string, count: number): Promise<Tick[]> {
  const prefix = `${taskName}:`;
  const ticks = await db.prisma.schedulerTick.findMany({
    where: { key: { startsWith: prefix } },
    orderBy: { claimedAt: "desc" },
    take: count,
  });
  return ticks.map(({ key, ...tick }) => ({ ...tick, slot: new Date(key.slice(prefix.length)) }));
}
