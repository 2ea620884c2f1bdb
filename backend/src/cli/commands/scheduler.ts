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
  pollInterval: number;
  retryBase: number;
  shutdownTimeout: number;
  worker: boolean;
}

/** `scheduler`: the long-lived process that runs every job's schedules and the event queue. */
export function registerSchedulerCommand(program: Command, cli: Cli): void {
  program
    .command("scheduler")
    .description(
      "Run every job's schedules (one instance per tick across machines) and the event-request worker until SIGINT/SIGTERM; serves /healthz, /metrics and the dashboard. Alerts also go to ALERT_WEBHOOK_URL when set.",
    )
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
      "--poll-interval <ms>",
      "how often the worker looks for due requests (default 1000)",
      positiveInt,
      1_000,
    )
    .option(
      "--retry-base <ms>",
      "backoff base: retries after 1×, 2×, 4× this (default 60000)",
      positiveInt,
      60_000,
    )
    .option(
      "--shutdown-timeout <ms>",
      "how long a signal waits for running jobs (default 30000)",
      positiveInt,
      30_000,
    )
    .option("--no-worker", "do not work on event requests in this process")
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
          pollIntervalMs: flags.pollInterval,
          retryBaseMs: flags.retryBase,
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
