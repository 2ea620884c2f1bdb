import { userInfo } from "node:os";
import { findRunsByIdPrefix, requestCancel } from "@feed-jobs/jobs";
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
      "Stop a RUNNING run at its next batch boundary; it is recorded CANCELLED (an 8-character prefix will do)",
    )
    .action(async (prefix: string) => {
      const run = await withDatabase(async (db) => {
        const found = uniqueByPrefix("run", prefix, await findRunsByIdPrefix(db, prefix));
        if (!(await requestCancel(db, found.id, new Date()))) {
          throw new UsageError(
            `run ${found.id} (${found.jobName}) is ${found.status}, not RUNNING.`,
          );
        }
        return found;
      });
      io.out(`cancel requested: ${run.jobName} run ${run.id} stops at its next batch boundary`);
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
