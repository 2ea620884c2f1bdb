import type { Database } from "@feed-jobs/db";
import { findAbandonedRuns } from "@feed-jobs/jobs";
import type { Command } from "commander";
import { type AnyJob, catalog } from "../../jobs/catalog.ts";
import { abandonedRunsCheck, evaluateHealth, type HealthCheck } from "../../monitoring/health.ts";
import { outputTablesOf } from "../../monitoring/output-tables.ts";
import { computeStats } from "../../monitoring/stats.ts";
import { pausedJobs } from "../../scheduler/controls.ts";
import { withDatabase } from "../database.ts";
import { type Cli, ExitCode } from "../io.ts";
import { positiveInt } from "../parse.ts";
import { formatPaused } from "./stats-format.ts";

/** `health`: the seed's alert conditions; exit 1 when any fires (for an external cron or CI). */
export function registerHealthCommand(program: Command, cli: Cli): void {
  program
    .command("health")
    .description(
      "Evaluate the alert conditions (duration over SLA, success rate < 0.95, queue depth > 1000, staleness, coverage, abandoned runs); exit 1 when any fires",
    )
    .option(
      "--window <hours>",
      "how far back runs count for success rates (default 24)",
      positiveInt,
      24,
    )
    .option("--json", "print JSON")
    .action(async (flags: { window: number; json?: boolean }) => {
      const { checks, paused } = await withDatabase(async (db) => ({
        checks: await healthChecks(db, new Date(), flags.window * 3_600_000, catalog),
        paused: await pausedJobs(db),
      }));
      const firing = checks.filter((check) => check.firing);
      if (flags.json) {
        cli.io.out(JSON.stringify({ healthy: firing.length === 0, checks, paused }, null, 2));
      } else {
        for (const check of checks)
          cli.io.out(`${check.firing ? "FIRING" : "ok    "}  ${check.message}`);
        cli.io.out(formatPaused(paused));
        cli.io.out(firing.length === 0 ? "healthy" : `${firing.length} alert(s) firing`);
      }
      cli.exitCode = firing.length === 0 ? ExitCode.ok : ExitCode.failed;
    });
}

export async function healthChecks(
  db: Database,
  now: Date,
  windowMs: number,
  jobs: readonly AnyJob[],
): Promise<HealthCheck[]> {
  const tables = outputTablesOf(jobs.map((job) => job.name));
  return [
    ...evaluateHealth(await computeStats(db, { now, windowMs, catalog: jobs, tables })),
    abandonedRunsCheck(await findAbandonedRuns(db)),
  ];
}
