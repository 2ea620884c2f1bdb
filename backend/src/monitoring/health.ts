import type { AbandonedRun } from "@feed-jobs/jobs";
import type { JobStats, QueueStats, StatsReport, TableStats } from "./stats.ts";

/** One alert condition (seed "Monitoring & Alerts"): firing or not, and why. */
export interface HealthCheck {
  /** Stable identity, e.g. "duration:trending:CRON": alerts fire and resolve per key. */
  key: string;
  firing: boolean;
  message: string;
}

export interface HealthLimits {
  /** Fire below this share of successful runs among finished ones. Default: 0.95 (seed). */
  minSuccessRate: number;
  /** Fire above this many waiting requests. Default: 1000 (seed). */
  maxQueueDepth: number;
}

export const DEFAULT_HEALTH_LIMITS: HealthLimits = { minSuccessRate: 0.95, maxQueueDepth: 1000 };

const HOUR_MS = 3_600_000;
const hours = (ms: number) => `${(ms / HOUR_MS).toFixed(1)} h`;
const percent = (share: number) => `${(100 * share).toFixed(1)}%`;

/** Duration over SLA (the job's budgeted runtime) for the newest run, and the success rate. */
export function jobChecks(stats: JobStats, limits: HealthLimits): HealthCheck[] {
  const name = `${stats.job} (${stats.trigger})`;
  const checks: HealthCheck[] = [];
  const duration = stats.lastRun?.durationMs;
  if (stats.slaMs !== null && duration !== null && duration !== undefined) {
    checks.push({
      key: `duration:${stats.job}:${stats.trigger}`,
      firing: duration > stats.slaMs,
      message: `Job ${name} took ${duration}ms (SLA: ${stats.slaMs}ms)`,
    });
  }
  if (stats.successRate !== null) {
    checks.push({
      key: `success-rate:${stats.job}:${stats.trigger}`,
      firing: stats.successRate < limits.minSuccessRate,
      message: `Job ${name} success rate: ${stats.successRate.toFixed(2)} over ${stats.succeeded + stats.failed} finished runs (expected >=${limits.minSuccessRate})`,
    });
  }
  return checks;
}

/** Staleness and coverage of an output table, where the table declares limits. */
export function tableChecks(stats: TableStats): HealthCheck[] {
  const checks: HealthCheck[] = [];
  const { maxStalenessHours, minCoverage } = stats.limits;
  if (maxStalenessHours !== null && stats.stalenessMs !== null) {
    checks.push({
      key: `staleness:${stats.table}`,
      firing: stats.stalenessMs > maxStalenessHours * HOUR_MS,
      message: `Table ${stats.table}: oldest row is ${hours(stats.stalenessMs)} old (limit ${maxStalenessHours} h)`,
    });
  }
  if (minCoverage !== null && stats.coverage !== null) {
    checks.push({
      key: `coverage:${stats.table}`,
      firing: stats.coverage < minCoverage,
      message: `Table ${stats.table}: coverage ${percent(stats.coverage)} of ${stats.eligible} ${stats.eligibleLabel} (expected >=${percent(minCoverage)})`,
    });
  }
  return checks;
}

export function queueCheck(queue: QueueStats, limits: HealthLimits): HealthCheck {
  return {
    key: "queue-depth",
    firing: queue.depth > limits.maxQueueDepth,
    message: `Job queue depth: ${queue.depth} (limit ${limits.maxQueueDepth})`,
  };
}

/** RUNNING runs whose process is gone: they stay RUNNING until cancelled or the job runs again. */
export function abandonedRunsCheck(abandoned: readonly AbandonedRun[]): HealthCheck {
  const listed = abandoned.map(({ run, reason }) => `${run.jobName} run ${run.id} (${reason})`);
  return {
    key: "abandoned-runs",
    firing: abandoned.length > 0,
    message:
      abandoned.length === 0
        ? "No abandoned runs (RUNNING with their process gone)"
        : `${abandoned.length} abandoned run(s), RUNNING with their process gone: ${listed.join("; ")}. \`cancel <run>\` records them FAILED`,
  };
}

/** Every alert condition of a stats report. */
export function evaluateHealth(report: StatsReport, limits = DEFAULT_HEALTH_LIMITS): HealthCheck[] {
  return [
    ...report.jobs.flatMap((job) => jobChecks(job, limits)),
    ...report.tables.flatMap(tableChecks),
    queueCheck(report.queue, limits),
  ];
}
