import type { Command } from "commander";
import { catalog } from "../../jobs/catalog.ts";
import { workUntilSignalled } from "../../scheduler/process.ts";
import { assertServerDatabase, withDatabase } from "../database.ts";
import { type Cli, ExitCode } from "../io.ts";
import { positiveInt } from "../parse.ts";
import { QUEUE_SETTINGS_HELP } from "./scheduler.ts";

interface WorkerFlags {
  concurrency: number;
  shutdownTimeout: number;
}

/**
 * `worker`: a process that works on the queue (no schedules, no HTTP): any number of them, on
 * any machines, share the run requests, ticks and shards of one PostgreSQL database.
 */
export function registerWorkerCommand(program: Command, cli: Cli): void {
  program
    .command("worker")
    .description(
      "Work on the queue until SIGINT/SIGTERM: event requests and scheduler ticks (one run at a time per job) and the shards of full runs (--concurrency at once per job). PostgreSQL only: on the embedded database `pnpm job scheduler` is the one worker.",
    )
    .addHelpText("after", `\n${QUEUE_SETTINGS_HELP}`)
    .option("--concurrency <n>", "shards of each job run at once (default 1)", positiveInt, 1)
    .option(
      "--shutdown-timeout <ms>",
      "how long a signal waits for running jobs (default 30000)",
      positiveInt,
      30_000,
    )
    .action(async (flags: WorkerFlags) => {
      assertServerDatabase("worker", "Use `pnpm job scheduler`, which works on its queue.");
      const log = (line: string) => cli.io.out(`${new Date().toISOString()} ${line}`);
      await withDatabase(async (db) => {
        const finished = await workUntilSignalled(db, {
          jobs: catalog,
          log,
          concurrency: flags.concurrency,
          shutdownTimeoutMs: flags.shutdownTimeout,
          alertWebhookUrl: process.env.ALERT_WEBHOOK_URL?.trim() || undefined,
        });
        // A job still running holds a connection that closing would wait for: leave at once.
        if (!finished) process.exit(ExitCode.failed);
      });
    });
}
