import type { Database, JobTrigger } from "@feed-jobs/db";
import { findAbandonedRuns, type RunSummary } from "@feed-jobs/jobs";
import type { AnyJob } from "../jobs/catalog.ts";
import { aggregateDays, recordDayCoverage, utcDay } from "./daily-queries.ts";
import {
  abandonedRunsCheck,
  type HealthCheck,
  type HealthLimits,
  jobChecks,
  queueCheck,
  tableChecks,
} from "./health.ts";
import { outputTableOf } from "./output-tables.ts";
import { insertSnapshot } from "./snapshot-queries.ts";
import { DEFAULT_WINDOW_MS, jobStats, queueStats, type TableStats, tableStats } from "./stats.ts";

export interface RunObservation {
  /** The alert conditions that concern this run's job, and the queue. */
  checks: HealthCheck[];
  /** The output table after a successful whole-table run; null otherwise. */
  table: TableStats | null;
}

/**
 * What the scheduler does after every run: updates today's daily aggregate for the job and
 * evaluates its alert conditions. After a successful whole-table run it also measures the job's output
 * table (staleness, coverage, a score snapshot for drift); event runs touch one item and skip it.
 */
export async function observeRun(
  db: Database,
  run: {
    job: AnyJob;
    trigger: JobTrigger;
    summary: RunSummary;
    now: Date;
    /** Whether the run covered the whole table (no --user-id/--post-id, not a dry run). Default: CRON runs. */
    wholeTable?: boolean;
  },
  catalog: readonly AnyJob[],
  limits: HealthLimits,
): Promise<RunObservation> {
  const { job, now } = run;
  const today = utcDay(now);
  await aggregateDays(db, { fromDay: today, toDay: today, now, jobName: job.name });
  const since = new Date(now.getTime() - DEFAULT_WINDOW_MS);
  const stats = (await jobStats(db, since, now, catalog)).filter((s) => s.job === job.name);
  const checks = [
    ...stats.flatMap((s) => jobChecks(s, limits)),
    queueCheck(await queueStats(db), limits),
    abandonedRunsCheck(await findAbandonedRuns(db)),
  ];
  const output = outputTableOf(job.name);
  const wholeTable = run.wholeTable ?? run.trigger === "CRON";
  if (!output || !wholeTable || run.summary.status !== "SUCCESS") {
    return { checks, table: null };
  }
  const table = await tableStats(db, output, now);
  if (table.distribution) {
    await insertSnapshot(db, {
      runId: run.summary.runId,
      jobName: job.name,
      tableName: output.table,
      takenAt: now,
      ...table.distribution,
    });
  }
  if (table.coverage !== null) {
    await recordDayCoverage(db, { jobName: job.name, coverage: table.coverage, now });
  }
  return { checks: [...checks, ...tableChecks(table)], table };
}
