import { userInfo } from "node:os";
import { abandonment, findRunsByIdPrefix, markAbandoned, requestCancel } from "@feed-jobs/jobs";
import type { Command } from "commander";
import { findJob } from "../../jobs/catalog.ts";
import { pauseJob, resumeJob } from "../../scheduler/controls.ts";
import { withDatabase } from "../database.ts";
import { uniqueByPrefix } from "../ids.ts";
import { type Cli, UsageError } from "../io.ts";

/** `cancel`, `pause`, `resume`: operator controls, kept in the database. */
export function registerControlCommands(program: Command, { io }: Cli): void {
  program
    .command("cancel <runId>")
    .description(
      "Stop a RUNNING run at its next batch boundary; it is recorded CANCELLED (an 8-character prefix will do). A run whose process is gone is recorded FAILED at once.",
    )
    .action(async (prefix: string) => {
      const outcome = await withDatabase(async (db) => {
        const run = uniqueByPrefix("run", prefix, await findRunsByIdPrefix(db, prefix));
        const notRunning = (status: string) =>
          new UsageError(`run ${run.id} (${run.jobName}) is ${status}, not RUNNING.`);
        if (run.status !== "RUNNING") throw notRunning(run.status);
        const abandoned = await abandonment(db, run);
        if (abandoned) {
          if (!(await markAbandoned(db, run.id, abandoned, new Date())))
            throw notRunning("finished");
          return `${run.jobName} run ${run.id} was ${abandoned}: recorded FAILED`;
        }
        if (!(await requestCancel(db, run.id, new Date()))) throw notRunning("finished");
        return `cancel requested: ${run.jobName} run ${run.id} stops at its next batch boundary`;
      });
      io.out(outcome);
    });

  program
    .command("pause <job>")
    .description(
      "Make every scheduler skip the job's ticks and leave its requests queued, until `resume`",
    )
    .option("--reason <text>", "why, shown by `stats` and `health`")
    .action(async (jobName: string, flags: { reason?: string }) => {
      assertJob(jobName);
      await withDatabase((db) =>
        pauseJob(db, {
          jobName,
          pausedAt: new Date(),
          pausedBy: userInfo().username,
          reason: flags.reason ?? null,
        }),
      );
      io.out(`paused ${jobName}`);
    });

  program
    .command("resume <job>")
    .description("Let schedulers run the job's ticks and requests again")
    .action(async (jobName: string) => {
      assertJob(jobName);
      const resumed = await withDatabase((db) => resumeJob(db, jobName));
      io.out(resumed ? `resumed ${jobName}` : `${jobName} was not paused`);
    });
}

function assertJob(name: string): void {
  if (!findJob(name)) throw new UsageError(`unknown job "${name}".`);
}
