import type { Command } from "commander";
import { createDashboard } from "../../dashboard/app.tsx";
import { standaloneRuns } from "../../dashboard/launch.ts";
import { serveDashboard } from "../../dashboard/server.ts";
import { catalog } from "../../jobs/catalog.ts";
import { withDatabase } from "../database.ts";
import { type Cli, ExitCode } from "../io.ts";
import { portNumber } from "./scheduler.ts";

/** How long SIGINT/SIGTERM waits for runs started from the dashboard to stop. */
const STOP_TIMEOUT_MS = 30_000;

/** `dashboard`: the operator's web pages on their own (the scheduler serves them too). */
export function registerDashboardCommand(program: Command, cli: Cli): void {
  program
    .command("dashboard")
    .description(
      "Serve the operator's dashboard (runs, queue, schedules, trends) until SIGINT/SIGTERM. Actions need FEED_JOBS_ADMIN_TOKEN; without it the pages are read-only.",
    )
    .option("--port <n>", "port, 0 for any free one (default 9465)", portNumber, 9465)
    .option("--host <address>", "address to serve on (default 127.0.0.1)", "127.0.0.1")
    .action(async (flags: { port: number; host: string }) => {
      const log = (line: string) => cli.io.out(`${new Date().toISOString()} ${line}`);
      await withDatabase(async (db) => {
        const runs = standaloneRuns(db, catalog, log);
        const adminToken = process.env.FEED_JOBS_ADMIN_TOKEN?.trim() || undefined;
        const app = createDashboard({ db, jobs: catalog, adminToken, startRun: runs.start, log });
        const server = await serveDashboard(app, flags);
        log(
          `dashboard on http://${flags.host}:${server.port}/ (${adminToken ? "actions with FEED_JOBS_ADMIN_TOKEN" : "read-only: FEED_JOBS_ADMIN_TOKEN is unset"}) on ${db.location}`,
        );
        const signal = await untilSignalled();
        log(`${signal}: stopping`);
        await server.close();
        // A run still going holds a connection that closing the database would wait for.
        if (!(await runs.stop(STOP_TIMEOUT_MS))) process.exit(ExitCode.failed);
      });
    });
}

function untilSignalled(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      resolve(signal);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}
