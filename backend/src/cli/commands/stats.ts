import type { Command } from "commander";
import { catalog } from "../../jobs/catalog.ts";
import { readDays, utcDay } from "../../monitoring/daily-queries.ts";
import { outputTablesOf } from "../../monitoring/output-tables.ts";
import { computeStats } from "../../monitoring/stats.ts";
import { pausedJobs } from "../../scheduler/controls.ts";
import { withDatabase } from "../database.ts";
import type { Cli } from "../io.ts";
import { positiveInt } from "../parse.ts";
import { formatDaily, formatReport } from "./stats-format.ts";

interface StatsFlags {
  window: number;
  daily?: boolean;
  days: number;
  json?: boolean;
}

const DAY_MS = 86_400_000;

/** `stats`: run metrics per job, output-table quality, the queue; or daily aggregates over weeks. */
export function registerStatsCommand(program: Command, { io }: Cli): void {
  program
    .command("stats")
    .description(
      "Run metrics per job, coverage/staleness/score distribution per output table, queue depth",
    )
    .option("--window <hours>", "how far back runs count (default 24)", positiveInt, 24)
    .option("--daily", "show the daily aggregates instead, as sparklines per job")
    .option("--days <n>", "days shown by --daily (default 28)", positiveInt, 28)
    .option("--json", "print JSON")
    .action(async (flags: StatsFlags) => {
      const now = new Date();
      const output = await withDatabase(async (db) => {
        if (flags.daily) {
          const rows = await readDays(db, now, flags.days);
          const first = utcDay(now).getTime() - (flags.days - 1) * DAY_MS;
          const days = Array.from({ length: flags.days }, (_, i) => new Date(first + i * DAY_MS));
          return flags.json ? JSON.stringify(rows, null, 2) : formatDaily(rows, days);
        }
        const report = await computeStats(db, {
          now,
          windowMs: flags.window * 3_600_000,
          catalog,
          tables: outputTablesOf(catalog.map((job) => job.name)),
        });
        const paused = await pausedJobs(db);
        return flags.json
          ? JSON.stringify({ ...report, paused }, null, 2)
          : formatReport(report, paused);
      });
      io.out(output);
    });
}
