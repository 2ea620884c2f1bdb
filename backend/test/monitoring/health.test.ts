import { describe, expect, it } from "vitest";
import { DEFAULT_HEALTH_LIMITS, evaluateHealth } from "../../src/monitoring/health.ts";
import type { JobStats, StatsReport, TableStats } from "../../src/monitoring/stats.ts";

const NOW = new Date("2026-03-10T12:00:00.000Z");
const HOUR = 3_600_000;

function job(overrides: Partial<JobStats>): JobStats {
  return {
    job: "trending",
    trigger: "CRON",
    runs: 20,
    succeeded: 20,
    failed: 0,
    cancelled: 0,
    running: 0,
    successRate: 1,
    durationMs: { p50: 100, p95: 200, p99: 300 },
    itemsPerRun: { processed: 10, failed: 0 },
    budgetBreaches: 0,
    lastRun: { id: "r1", status: "SUCCESS", startedAt: NOW, durationMs: 1_000 },
    slaMs: 30_000,
    ...overrides,
  };
}

function table(overrides: Partial<TableStats>): TableStats {
  return {
    job: "match-scores",
    table: "match_scores",
    eligibleLabel: "active users",
    eligible: 100,
    covered: 95,
    coverage: 0.95,
    oldestAt: new Date(NOW.getTime() - 10 * HOUR),
    stalenessMs: 10 * HOUR,
    distribution: null,
    previous: null,
    drift: null,
    drifted: false,
    limits: { maxStalenessHours: 30, minCoverage: 0.9 },
    ...overrides,
  };
}

function report(jobs: JobStats[], tables: TableStats[], depth = 0): StatsReport {
  const counts = { created: depth, retry: 0, active: 0, completed: 0, cancelled: 0, failed: 0 };
  return {
    now: NOW,
    since: new Date(NOW.getTime() - 24 * HOUR),
    jobs,
    tables,
    queue: { depth, counts },
  };
}

const firing = (r: StatsReport) => evaluateHealth(r, DEFAULT_HEALTH_LIMITS).filter((c) => c.firing);

describe("evaluateHealth", () => {
  it("fires nothing on a healthy report, but evaluates every condition", () => {
    const checks = evaluateHealth(report([job({})], [table({})]));
    expect(checks.map((c) => c.key).sort()).toEqual([
      "coverage:match_scores",
      "duration:trending:CRON",
      "queue-depth",
      "staleness:match_scores",
      "success-rate:trending:CRON",
    ]);
    expect(checks.every((c) => !c.firing)).toBe(true);
  });

  it("fires when the newest run took longer than the job's SLA", () => {
    const slow = job({
      lastRun: { id: "r2", status: "SUCCESS", startedAt: NOW, durationMs: 45_000 },
    });
    expect(firing(report([slow], []))).toEqual([
      {
        key: "duration:trending:CRON",
        firing: true,
        message: "Job trending (CRON) took 45000ms (SLA: 30000ms)",
      },
    ]);
  });

  it("fires below a 0.95 success rate, not counting cancelled runs", () => {
    expect(firing(report([job({ succeeded: 19, failed: 1, successRate: 0.95 })], []))).toEqual([]);
    const failing = job({ succeeded: 18, failed: 2, successRate: 0.9 });
    expect(firing(report([failing], []))[0]?.message).toBe(
      "Job trending (CRON) success rate: 0.90 over 20 finished runs (expected >=0.95)",
    );
  });

  it("fires above 1000 waiting requests", () => {
    expect(firing(report([], [], 1000))).toEqual([]);
    expect(firing(report([], [], 1001))[0]?.message).toBe("Job queue depth: 1001 (limit 1000)");
  });

  it("fires on a stale or under-covered table, and skips limits a table does not declare", () => {
    const stale = table({ stalenessMs: 31 * HOUR, coverage: 0.5 });
    expect(firing(report([], [stale])).map((c) => c.key)).toEqual([
      "staleness:match_scores",
      "coverage:match_scores",
    ]);
    const unlimited = table({
      stalenessMs: 31 * HOUR,
      coverage: 0.5,
      limits: { maxStalenessHours: null, minCoverage: null },
    });
    expect(evaluateHealth(report([], [unlimited])).map((c) => c.key)).toEqual(["queue-depth"]);
  });
});
