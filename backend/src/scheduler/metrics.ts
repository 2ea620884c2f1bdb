import type { Database, JobTrigger } from "@feed-jobs/db";
import { queueDepth, type RunSummary } from "@feed-jobs/jobs";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { lastSuccessTimes } from "../monitoring/run-queries.ts";

/** Why a tick did not run its job. */
export type SkipReason = "paused" | "busy" | "not-elected";

/**
 * The scheduler's Prometheus metrics. Runs, durations, items and skips count what this process
 * did; queue depth and last success are read from the database at scrape time, so they are the
 * same whichever scheduler is scraped.
 */
export function createMetrics(db: Database, jobNames: readonly string[]) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "feed_jobs_" });
  const registers = [registry];
  const runs = new Counter({
    name: "feed_jobs_runs_total",
    help: "Runs finished by this scheduler, by job, trigger and status",
    labelNames: ["job", "trigger", "status"] as const,
    registers,
  });
  const duration = new Histogram({
    name: "feed_jobs_run_duration_seconds",
    help: "Run durations, by job and trigger",
    labelNames: ["job", "trigger"] as const,
    buckets: [0.05, 0.25, 1, 5, 15, 30, 60, 300, 900, 1800, 3600],
    registers,
  });
  const items = new Counter({
    name: "feed_jobs_items_processed_total",
    help: "Items processed by runs of this scheduler",
    labelNames: ["job"] as const,
    registers,
  });
  const failures = new Counter({
    name: "feed_jobs_items_failed_total",
    help: "Items that could not be scored in runs of this scheduler",
    labelNames: ["job"] as const,
    registers,
  });
  const skips = new Counter({
    name: "feed_jobs_ticks_skipped_total",
    help: "Cron ticks this scheduler did not run, by job and reason",
    labelNames: ["job", "reason"] as const,
    registers,
  });
  new Gauge({
    name: "feed_jobs_request_queue_depth",
    help: "Event requests and ticks waiting to run (created, or retry after a failed attempt)",
    registers,
    async collect() {
      this.set(await queueDepth(db));
    },
  });
  new Gauge({
    name: "feed_jobs_last_success_timestamp_seconds",
    help: "When each job last finished successfully (Unix time), from job_runs",
    labelNames: ["job"] as const,
    registers,
    async collect() {
      this.reset();
      for (const [job, at] of await lastSuccessTimes(db, jobNames)) {
        this.set({ job }, at.getTime() / 1000);
      }
    },
  });
  return {
    registry,
    recordRun(summary: RunSummary, trigger: JobTrigger): void {
      const job = summary.jobName;
      runs.inc({ job, trigger, status: summary.status });
      duration.observe({ job, trigger }, summary.durationMs / 1000);
      items.inc({ job }, summary.itemsProcessed);
      failures.inc({ job }, summary.itemsFailed);
    },
    recordSkip(job: string, reason: SkipReason): void {
      skips.inc({ job, reason });
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
