import { defineJob, type JobContext } from "@feed-jobs/jobs";
import { z } from "zod";
import { aggregateDays, recordDayCoverage, utcDay } from "../../monitoring/daily-queries.ts";
import { outputTablesOf } from "../../monitoring/output-tables.ts";
import { measureCoverage } from "../../monitoring/table-queries.ts";
import {
  type Cutoffs,
  countExpired,
  deleteExpiredBatch,
  expiries,
  jobsRunSince,
} from "./queries.ts";

const DAY_MS = 86_400_000;

const config = z
  .strictObject({
    /** JobRun records (with their score snapshots) older than this go. Default 90. */
    retentionDays: z.number().int().positive().default(90),
    /** Operator actions (the dashboard's audit log) older than this go. Default 365. */
    auditRetentionDays: z.number().int().positive().default(365),
    /** Scheduler tick claims older than this go. Default 7. */
    tickRetentionDays: z.number().int().positive().default(7),
    /** Rows deleted per statement, with a checkpoint between statements. Default 5000. */
    batchSize: z.number().int().positive().default(5000),
  })
  // An action names the run it started or cancelled: the audit must outlive the runs it explains.
  .refine((c) => c.auditRetentionDays >= c.retentionDays, {
    message: "auditRetentionDays must be at least retentionDays",
    path: ["auditRetentionDays"],
  });

type CleanupConfig = z.infer<typeof config>;

/**
 * Seed "Weekly (Sunday 2am)": data cleanup and analytics aggregation. First the daily
 * aggregates (runs, items, durations per job per UTC day, and today's coverage of each output
 * table) are rewritten for every day whose runs are all still kept; then expired rows go:
 * old JobRun records, old operator actions, old tick claims, expired trending scores, and the
 * output rows of deleted users and posts. Finished requests are pg-boss's: it archives and
 * deletes them itself (FEED_JOBS_QUEUE_ARCHIVE_SECONDS, FEED_JOBS_QUEUE_DELETE_DAYS).
 */
export const cleanupJob = defineJob({
  name: "cleanup",
  description:
    "Expire old run records and operator actions, remove orphaned scores, aggregate daily stats",
  algorithmVersion: "cleanup-v1",
  schedules: [{ label: "weekly", cron: "0 2 * * 0" }],
  config,
  budget: { maxRowsScanned: 5_000_000, maxRowsWritten: 5_000_000, maxRuntimeMs: 600_000 },
  accepts: [],
  async run(ctx) {
    const cut: Cutoffs = {
      now: ctx.now,
      retention: new Date(ctx.now.getTime() - ctx.config.retentionDays * DAY_MS),
      audit: new Date(ctx.now.getTime() - ctx.config.auditRetentionDays * DAY_MS),
      ticks: new Date(ctx.now.getTime() - ctx.config.tickRetentionDays * DAY_MS),
    };
    const aggregated = ctx.options.dryRun ? null : await aggregate(ctx, cut);
    const removed: Record<string, number> = {};
    for (const expiry of expiries(cut)) {
      await ctx.checkpoint();
      removed[expiry.label] = ctx.options.dryRun
        ? await countExpired(ctx.db, expiry)
        : await deleteInBatches(ctx, expiry);
    }
    ctx.note("removed", removed);
    return { dryRun: ctx.options.dryRun === true, removed, aggregated };
  },
});

async function deleteInBatches(
  ctx: JobContext<CleanupConfig>,
  expiry: ReturnType<typeof expiries>[number],
): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deleteExpiredBatch(ctx.db, expiry, ctx.config.batchSize);
    total += deleted;
    ctx.scanned(deleted);
    ctx.written(deleted);
    ctx.processed(deleted);
    if (deleted < ctx.config.batchSize) return total;
    await ctx.checkpoint();
  }
}

/** Days from the first one whose runs are all kept (after the retention cutoff) to today. */
async function aggregate(ctx: JobContext<CleanupConfig>, cut: Cutoffs) {
  const fromDay = new Date(utcDay(cut.retention).getTime() + DAY_MS);
  const toDay = utcDay(ctx.now);
  const rows = await aggregateDays(ctx.db, { fromDay, toDay, now: ctx.now });
  ctx.written(rows);
  const coverage: Record<string, number> = {};
  for (const table of outputTablesOf(await jobsRunSince(ctx.db, fromDay))) {
    await ctx.checkpoint();
    const measured = await measureCoverage(ctx.db, table, ctx.now);
    if (measured.eligible === 0) continue;
    const share = measured.covered / measured.eligible;
    coverage[table.job] = share;
    await recordDayCoverage(ctx.db, { jobName: table.job, coverage: share, now: ctx.now });
  }
  return {
    days: { from: fromDay.toISOString().slice(0, 10), to: toDay.toISOString().slice(0, 10) },
    rows,
    coverage,
  };
}
