import type { Database } from "@feed-jobs/db";

/** Repository functions for job_daily_stats: one row per job per UTC day. */

/** The UTC day containing `at`, as midnight. */
export function utcDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

/**
 * (Re)computes the rows of every day in [fromDay, toDay] from job_runs, keeping any coverage
 * already measured for a day. Only call it for days whose runs have not expired yet.
 */
export async function aggregateDays(
  db: Database,
  range: { fromDay: Date; toDay: Date; now: Date; jobName?: string },
): Promise<number> {
  const until = new Date(range.toDay.getTime() + 86_400_000);
  return db.prisma.$executeRaw`
    INSERT INTO job_daily_stats AS d
      (day, job_name, runs, succeeded, failed, cancelled, items_processed, items_failed,
       duration_p50, duration_p95, coverage, updated_at)
    SELECT started_at::date, job_name,
           count(*)::int,
           count(*) FILTER (WHERE status = 'SUCCESS')::int,
           count(*) FILTER (WHERE status = 'FAILED')::int,
           count(*) FILTER (WHERE status = 'CANCELLED')::int,
           COALESCE(sum(items_processed), 0)::int,
           COALESCE(sum(items_failed), 0)::int,
           round(percentile_cont(0.5) WITHIN GROUP (ORDER BY duration))::int,
           round(percentile_cont(0.95) WITHIN GROUP (ORDER BY duration))::int,
           NULL, ${range.now}::timestamp(3)
    FROM job_runs
    WHERE started_at >= ${range.fromDay}::timestamp(3) AND started_at < ${until}::timestamp(3)
      AND status <> 'RUNNING'
      AND (${range.jobName ?? null}::text IS NULL OR job_name = ${range.jobName ?? null}::text)
    GROUP BY started_at::date, job_name
    ON CONFLICT (day, job_name) DO UPDATE SET
      runs = excluded.runs, succeeded = excluded.succeeded, failed = excluded.failed,
      cancelled = excluded.cancelled, items_processed = excluded.items_processed,
      items_failed = excluded.items_failed, duration_p50 = excluded.duration_p50,
      duration_p95 = excluded.duration_p95, updated_at = excluded.updated_at`;
}

/** Records the coverage of a job's output table measured on `now`'s day. */
export async function recordDayCoverage(
  db: Database,
  entry: { jobName: string; coverage: number; now: Date },
): Promise<void> {
  await db.prisma.$executeRaw`
    INSERT INTO job_daily_stats AS d
      (day, job_name, runs, succeeded, failed, cancelled, items_processed, items_failed, coverage, updated_at)
    VALUES (${utcDay(entry.now)}::timestamp(3)::date, ${entry.jobName}, 0, 0, 0, 0, 0, 0, ${entry.coverage}, ${entry.now}::timestamp(3))
    ON CONFLICT (day, job_name) DO UPDATE SET coverage = excluded.coverage, updated_at = excluded.updated_at`;
}

/** Rows of the last `days` days up to `now`'s day, oldest first. */
export async function readDays(db: Database, now: Date, days: number) {
  const from = new Date(utcDay(now).getTime() - (days - 1) * 86_400_000);
  return db.prisma.jobDailyStat.findMany({
    where: { day: { gte: from } },
    orderBy: [{ jobName: "asc" }, { day: "asc" }],
  });
}
