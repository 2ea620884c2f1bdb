import type { Database, JobTrigger } from "@feed-jobs/db";
import { queueDepth, type RequestState, requestCounts } from "@feed-jobs/jobs";
import type { AnyJob } from "../jobs/catalog.ts";
import { DEFAULT_DRIFT_THRESHOLD, driftScore } from "./distribution.ts";
import type { OutputTable } from "./output-tables.ts";
import { lastFinishedRuns, runGroups } from "./run-queries.ts";
import { previousSnapshot, type Snapshot } from "./snapshot-queries.ts";
import { type Distribution, measureCoverage, measureDistribution } from "./table-queries.ts";

/** Run metrics of one job and trigger over the window. */
export interface JobStats {
  job: string;
  trigger: JobTrigger;
  runs: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  running: number;
  /** SUCCESS / (SUCCESS + FAILED); cancelled runs were stopped on purpose. Null: none finished. */
  successRate: number | null;
  durationMs: { p50: number; p95: number; p99: number } | null;
  itemsPerRun: { processed: number; failed: number } | null;
  budgetBreaches: number;
  /** The newest finished run, however old: what the duration alert looks at. */
  lastRun: { id: string; status: string; startedAt: Date; durationMs: number | null } | null;
  /** The job's expected runtime (its budget), when it is in the catalog. */
  slaMs: number | null;
}

/** Data quality of one output table now. */
export interface TableStats {
  job: string;
  table: string;
  eligibleLabel: string;
  eligible: number;
  covered: number;
  coverage: number | null;
  oldestAt: Date | null;
  stalenessMs: number | null;
  distribution: Distribution | null;
  previous: Snapshot | null;
  /** {@link driftScore} of the live distribution against the previous run's. */
  drift: number | null;
  drifted: boolean;
  limits: { maxStalenessHours: number | null; minCoverage: number | null };
}

/** The run queues (event requests and ticks). */
export interface QueueStats {
  /** Waiting to run: created, or retry after a failed attempt. */
  depth: number;
  /** By state, archived requests included; failed ones are dead (every attempt failed). */
  counts: Record<RequestState, number>;
}

export interface StatsReport {
  now: Date;
  since: Date;
  jobs: JobStats[];
  tables: TableStats[];
  queue: QueueStats;
}

export interface StatsOptions {
  now: Date;
  /** Default: 24 h. */
  windowMs?: number;
  /** For SLAs (their budgets' runtime). */
  catalog: readonly AnyJob[];
  tables: readonly OutputTable[];
  /** Default: {@link DEFAULT_DRIFT_THRESHOLD}. */
  driftThreshold?: number;
}

export const DEFAULT_WINDOW_MS = 24 * 3_600_000;

export async function computeStats(db: Database, options: StatsOptions): Promise<StatsReport> {
  const since = new Date(options.now.getTime() - (options.windowMs ?? DEFAULT_WINDOW_MS));
  const tables: TableStats[] = [];
  for (const table of options.tables) {
    tables.push(await tableStats(db, table, options.now, options.driftThreshold));
  }
  return {
    now: options.now,
    since,
    jobs: await jobStats(db, since, options.now, options.catalog),
    tables,
    queue: await queueStats(db),
  };
}

export async function queueStats(db: Database): Promise<QueueStats> {
  return { depth: await queueDepth(db), counts: await requestCounts(db) };
}

export async function jobStats(
  db: Database,
  since: Date,
  now: Date,
  catalog: readonly AnyJob[],
): Promise<JobStats[]> {
  const groups = await runGroups(db, since, now);
  const lastRuns = await lastFinishedRuns(db);
  const key = (job: string, trigger: string) => `${job}\u0000${trigger}`;
  const last = new Map(lastRuns.map((run) => [key(run.jobName, run.trigger), run]));
  return groups.map((group) => {
    const finished = group.succeeded + group.failed;
    const [p50, p95, p99] = group.durationQuantiles ?? [];
    const run = last.get(key(group.jobName, group.trigger));
    return {
      job: group.jobName,
      trigger: group.trigger,
      runs: group.runs,
      succeeded: group.succeeded,
      failed: group.failed,
      cancelled: group.cancelled,
      running: group.running,
      successRate: finished > 0 ? group.succeeded / finished : null,
      durationMs:
        p50 === undefined || p95 === undefined || p99 === undefined ? null : { p50, p95, p99 },
      itemsPerRun:
        group.avgItemsProcessed === null
          ? null
          : { processed: group.avgItemsProcessed, failed: group.avgItemsFailed ?? 0 },
      budgetBreaches: group.overBudget,
      lastRun: run
        ? { id: run.id, status: run.status, startedAt: run.startedAt, durationMs: run.duration }
        : null,
      slaMs: catalog.find((job) => job.name === group.jobName)?.budget.maxRuntimeMs ?? null,
    };
  });
}

export async function tableStats(
  db: Database,
  table: OutputTable,
  now: Date,
  driftThreshold = DEFAULT_DRIFT_THRESHOLD,
): Promise<TableStats> {
  const coverage = await measureCoverage(db, table, now);
  const distribution = await measureDistribution(db, table);
  const previous = await previousSnapshot(db, table.job);
  const drift =
    distribution && previous ? driftScore(previous.quantiles, distribution.quantiles) : null;
  return {
    job: table.job,
    table: table.table,
    eligibleLabel: table.eligibleLabel,
    eligible: coverage.eligible,
    covered: coverage.covered,
    coverage: coverage.eligible > 0 ? coverage.covered / coverage.eligible : null,
    oldestAt: coverage.oldestAt,
    stalenessMs: coverage.oldestAt ? now.getTime() - coverage.oldestAt.getTime() : null,
    distribution,
    previous,
    drift,
    drifted: drift !== null && drift > driftThreshold,
    limits: {
      maxStalenessHours: table.maxStalenessHours ?? null,
      minCoverage: table.minCoverage ?? null,
    },
  };
}
