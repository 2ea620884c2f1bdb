import type { Database, JobStatus, JobTrigger } from "@feed-jobs/db";
import { abandonment } from "@feed-jobs/jobs";
import { type Command, Option } from "commander";
import { withDatabase } from "../database.ts";
import { type Cli, table } from "../io.ts";
import { positiveInt } from "../parse.ts";

interface RunsFlags {
  job?: string;
  status?: JobStatus;
  limit: number;
  json?: boolean;
}

/** More filters, for the dashboard: the trigger, and when runs started (since ≤ startedAt < until). */
export interface RunWindow {
  trigger?: JobTrigger;
  since?: Date;
  until?: Date;
}

/** `runs`: the JobRun history, newest first. */
export function registerRunsCommand(program: Command, { io }: Cli): void {
  program
    .command("runs")
    .description("Show the JobRun history, newest first")
    .option("--job <name>", "only this job")
    .addOption(
      new Option("--status <status>", "only runs with this status").choices([
        "RUNNING",
        "SUCCESS",
        "FAILED",
        "CANCELLED",
      ]),
    )
    .option("--limit <n>", "how many runs (default 20)", positiveInt, 20)
    .option("--json", "print JSON")
    .action(async (flags: RunsFlags) => {
      const runs = await withDatabase((db) => listRuns(db, flags));
      io.out(flags.json ? JSON.stringify(runs, null, 2) : formatRuns(runs));
    });
}

/** Runs, newest first; a RUNNING run whose process is gone carries why in `abandoned`. */
export async function listRuns(db: Database, flags: Omit<RunsFlags, "json"> & RunWindow) {
  const runs = await db.prisma.jobRun.findMany({
    where: {
      ...(flags.job ? { jobName: flags.job } : {}),
      ...(flags.status ? { status: flags.status } : {}),
      ...(flags.trigger ? { trigger: flags.trigger } : {}),
      startedAt: { gte: flags.since, lt: flags.until },
    },
    orderBy: { startedAt: "desc" },
    take: flags.limit,
  });
  return Promise.all(
    runs.map(async (run) => ({
      ...run,
      abandoned: run.status === "RUNNING" ? await abandonment(db, run) : null,
    })),
  );
}

type RunRow = Awaited<ReturnType<typeof listRuns>>[number];

const ABANDONED_NOTE =
  "ABANDONED: recorded RUNNING, but its process is gone. `cancel <run>` marks it FAILED now; the job's next run does too.";

function formatRuns(runs: RunRow[]): string {
  if (runs.length === 0) return "No runs recorded yet.";
  const rows = runs.map((run) => {
    const meta = (run.metadata ?? {}) as Record<string, unknown>;
    return [
      run.id.slice(0, 8),
      run.jobName,
      run.abandoned ? "ABANDONED" : run.status,
      run.trigger,
      run.startedAt.toISOString().replace("T", " ").slice(0, 19),
      run.duration === null ? "-" : `${(run.duration / 1000).toFixed(1)}s`,
      String(run.itemsProcessed ?? "-"),
      String(run.itemsFailed ?? "-"),
      String(meta.rowsWritten ?? "-"),
      meta.overBudget ? "over" : "",
      (run.abandoned ?? run.error ?? "").slice(0, 60),
    ];
  });
  const listed = table(
    [
      "run",
      "job",
      "status",
      "trigger",
      "started (UTC)",
      "took",
      "items",
      "failed",
      "written",
      "budget",
      "error",
    ],
    rows,
  );
  return runs.some((run) => run.abandoned) ? `${listed}\n${ABANDONED_NOTE}` : listed;
}
