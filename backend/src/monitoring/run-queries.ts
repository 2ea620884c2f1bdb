import type { Database, JobStatus, JobTrigger } from "@feed-jobs/db";

/** Repository functions over job_runs for monitoring (read only). */

export interface RunGroupRow {
  jobName: string;
  trigger: JobTrigger;
  runs: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  running: number;
  /** p50, p95, p99 of finished runs' durations (ms); null when none finished. */
  durationQuantiles: number[] | null;
  avgItemsProcessed: number | null;
  avgItemsFailed: number | null;
  overBudget: number;
}

/** Runs started in [since, until), per job and trigger. */
export async function runGroups(db: Database, since: Date, until: Date): Promise<RunGroupRow[]> {
  return db.prisma.$queryRaw<RunGroupRow[]>`
    SELECT job_name AS "jobName", trigger::text AS trigger,
           count(*)::int AS runs,
           count(*) FILTER (WHERE status = 'SUCCESS')::int AS succeeded,
           count(*) FILTER (WHERE status = 'FAILED')::int AS failed,
           count(*) FILTER (WHERE status = 'CANCELLED')::int AS cancelled,
           count(*) FILTER (WHERE status = 'RUNNING')::int AS running,
           percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY duration)
             FILTER (WHERE duration IS NOT NULL) AS "durationQuantiles",
           avg(items_processed)::float8 AS "avgItemsProcessed",
           avg(items_failed)::float8 AS "avgItemsFailed",
           count(*) FILTER (WHERE metadata->>'overBudget' = 'true')::int AS "overBudget"
    FROM job_runs
    WHERE started_at >= ${since}::timestamp(3) AND started_at < ${until}::timestamp(3)
    GROUP BY job_name, trigger
    ORDER BY job_name, trigger`;
}

export interface LastRunRow {
  id: string;
  jobName: string;
  trigger: JobTrigger;
  status: JobStatus;
  startedAt: Date;
  duration: number | null;
}

/** The newest finished run of each job and trigger, however old. */
export async function lastFinishedRuns(db: Database): Promise<LastRunRow[]> {
  return db.prisma.$queryRaw<LastRunRow[]>`
    SELECT DISTINCT ON (job_name, trigger)
           id, job_name AS "jobName", trigger::text AS trigger, status::text AS status,
           started_at AS "startedAt", duration
    FROM job_runs
    WHERE status <> 'RUNNING'
    ORDER BY job_name, trigger, started_at DESC`;
}

/** When each of `jobNames` last succeeded (absent: never). */
export async function lastSuccessTimes(
  db: Database,
  jobNames: readonly string[],
): Promise<Map<string, Date>> {
  // One index probe per job on (job_name, started_at), newest first.
  const rows = await db.prisma.$queryRaw<{ jobName: string; at: Date | null }[]>`
    SELECT j.name AS "jobName",
           (SELECT completed_at FROM job_runs r
            WHERE r.job_name = j.name AND r.status = 'SUCCESS'
            ORDER BY r.started_at DESC LIMIT 1) AS at
    FROM unnest(${[...jobNames]}::text[]) AS j(name)`;
  return new Map(rows.flatMap((row) => (row.at ? [[row.jobName, row.at] as const] : [])));
}
