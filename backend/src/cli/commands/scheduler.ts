import type { Command } from "commander";
import { catalog } from "../../jobs/catalog.ts";
import { runUntilSignalled } from "../../scheduler/process.ts";
import { withDatabase } from "../database.ts";
import { type Cli, ExitCode } from "../io.ts";
import { positiveInt } from "../parse.ts";

interface SchedulerFlags {
  port: number;
  host: string;
  timezone: string;
  shutdownTimeout: number;
  worker: boolean;
}

/** Where the queue's timings are set, for the help of the commands that work on it. */
export const QUEUE_SETTINGS_HELP =
  "Queue timings come from FEED_JOBS_QUEUE_POLL_SECONDS (idle poll, default 1), FEED_JOBS_REQUEST_ATTEMPTS (3), FEED_JOBS_REQUEST_RETRY_SECONDS (first retry delay, doubling; 60), FEED_JOBS_RUN_EXPIRE_SECONDS (a run taken longer ago has lost its worker; 3600).";

/** `scheduler`: the long-lived process that runs every job's schedules and the event queue. */
export function registerSchedulerCommand(program: Command, cli: Cli): void {
  program
    .command("scheduler")
    .description(
      "Run every job's schedules until SIGINT/SIGTERM: each tick is claimed once across machines and queued as a run request; unless --no-worker, also work on the queue (event requests, ticks and, on PostgreSQL, shards of full runs). Serves /healthz, /metrics and the dashboard. Alerts also go to ALERT_WEBHOOK_URL when set.",
    )
    .addHelpText("after", `\n${QUEUE_SETTINGS_HELP}`)
    .option(
      "--port <n>",
      "port of /healthz, /metrics and the dashboard, 0 for any free one (default 9464)",
      portNumber,
      9464,
    )
    .option(
      "--host <address>",
      "address to serve on (default 127.0.0.1; 0.0.0.0 lets other machines scrape /metrics, and see the dashboard)",
      "127.0.0.1",
    )
    .option("--timezone <zone>", "IANA zone of schedules that declare none (default UTC)", "UTC")
    .option(
      "--shutdown-timeout <ms>",
      "how long a signal waits for running jobs (default 30000)",
      positiveInt,
      30_000,
    )
    .option(
      "--no-worker",
      "only queue ticks: leave the queue to `pnpm job worker` processes (on the embedded database nothing else can work on it)",
    )
    .action(async (flags: SchedulerFlags) => {
      const log = (line: string) => cli.io.out(`${new Date().toISOString()} ${line}`);
      await withDatabase(async (db) => {
        const finished = await runUntilSignalled(db, {
          jobs: catalog,
          log,
          port: flags.port,
          host: flags.host,
          timezone: flags.timezone,
          worker: flags.worker,
          shutdownTimeoutMs: flags.shutdownTimeout,
          alertWebhookUrl: process.env.ALERT_WEBHOOK_URL?.trim() || undefined,
          adminToken: process.env.FEED_JOBS_ADMIN_TOKEN?.trim() || undefined,
        });
        // A job still running holds a connection that closing would wait for: leave at once.
        if (!finished) process.exit(ExitCode.failed);
      });
    });
}

export function portNumber(value: string): number {
  return value.trim() === "0" ? 0 : positiveInt(value);
}
