import type { Database } from "@feed-jobs/db";
import {
  ALGORITHM_KEY,
  algorithmVersions,
  JobAlreadyRunning,
  type JobOptions,
  parseOverrides,
  type RunSummary,
  runJob,
} from "@feed-jobs/jobs";
import { type Command, Option } from "commander";
import { type AnyJob, catalog } from "../../jobs/catalog.ts";
import { configDefaults, configKeys } from "../../jobs/config-keys.ts";
import { DEFAULT_HEALTH_LIMITS } from "../../monitoring/health.ts";
import { observeRun } from "../../monitoring/observe.ts";
import {
  assertPostExists,
  assertServerDatabase,
  assertUserExists,
  withDatabase,
} from "../database.ts";
import { type Cli, type CliIO, ExitCode, UsageError } from "../io.ts";
import { withLocalWorkers } from "../local-workers.ts";
import { collect, isoTime, positiveInt, share } from "../parse.ts";
import { progressFor } from "../progress-bar.ts";

export interface JobFlags {
  batchSize?: number;
  userId?: string;
  postId?: string;
  mode?: "full" | "incremental";
  all?: boolean;
  dryRun?: boolean;
  asOf?: Date;
  set?: string[];
  json?: boolean;
  maxFailureShare?: number;
  algorithm?: string;
  workers?: number;
}

/** One command per job in the catalog, plus `all`. */
export function registerJobCommands(program: Command, cli: Cli): void {
  const { io } = cli;
  for (const job of catalog) {
    const command = program.command(job.name).description(job.description);
    addRunOptions(command, job);
    command.addHelpText("after", () => configHelp(job));
    command.action(async (flags: JobFlags) => {
      if (flags.workers !== undefined) assertWorkersApply(job, flags);
      const overrides = checkedOverrides(job, flags);
      const summary = await withDatabase((db) => runOne(db, job, flags, overrides, io));
      cli.exitCode = exitFor([summary]);
    });
  }
  const all = program
    .command("all")
    .description(`Run every job once, in order: ${catalog.map((j) => j.name).join(", ")}`);
  addRunOptions(all);
  all.action(async (flags: JobFlags) => {
    cli.exitCode = await withDatabase((db) => runAll(db, catalog, flags, io));
  });
}

/**
 * Runs `jobs` in order. A job already running elsewhere is skipped and named, and the rest
 * still run. Exit code: 1 when a run ended FAILED or CANCELLED, else 3 when a job was skipped
 * as busy, else 0.
 */
export async function runAll(
  db: Database,
  jobs: readonly AnyJob[],
  flags: JobFlags,
  io: CliIO,
): Promise<number> {
  const summaries: RunSummary[] = [];
  const busy: string[] = [];
  for (const job of jobs) {
    try {
      summaries.push(await runOne(db, job, flags, checkedOverrides(job, flags), io));
    } catch (error) {
      if (!(error instanceof JobAlreadyRunning)) throw error;
      io.err(`error: ${error.message} Skipped it; running the next jobs.`);
      busy.push(job.name);
    }
  }
  if (busy.length > 0) io.err(`skipped (already running): ${busy.join(", ")}`);
  const failed = exitFor(summaries);
  return failed === ExitCode.ok && busy.length > 0 ? ExitCode.busy : failed;
}

function addRunOptions(command: Command, job?: AnyJob): void {
  const accepts = new Set(job?.accepts ?? []);
  if (!job || "batchSize" in configDefaults(job)) {
    command.option("--batch-size <n>", "items per batch (config key batchSize)", positiveInt);
  }
  if (accepts.has("userId")) command.option("--user-id <id>", "only this user (one viewer)");
  if (accepts.has("postId"))
    command.option("--post-id <id>", "only this post (the real-time path)");
  if (accepts.has("mode")) {
    command.addOption(
      new Option("--mode <mode>", "full: every item; incremental: only what changed").choices([
        "full",
        "incremental",
      ]),
    );
  }
  if (accepts.has("all")) command.option("--all", "recompute everything, even unchanged items");
  if (job?.shard) {
    command.option(
      "--workers <n>",
      `run a full run's shards (${fullRunFlag(job)}) on n worker processes started for it, this process coordinating; PostgreSQL only (the embedded database's folder belongs to one process)`,
      positiveInt,
    );
  }
  if (job) {
    command.option(
      "--algorithm <version>",
      `algorithm version for this run (config key ${ALGORITHM_KEY}; default ${job.algorithmVersion})`,
    );
  }
  command
    .option("--dry-run", "compute and print, write nothing to output tables")
    .option("--as-of <time>", "compute as if now were this ISO time (backfills)", isoTime)
    .option(
      "--set <key=value>",
      "override a config key for this run, nested keys dotted: weights.trajectory=0 (repeatable)",
      collect,
      [],
    )
    .option(
      "--max-failure-share <share>",
      "fail the run above this share of failed items (default 0.05)",
      share,
    )
    .option("--json", "print the run summary as JSON");
}

/**
 * The run's overrides from its flags, after the checks that need no database: a mistyped flag
 * is refused before the database is opened (seconds for the embedded one).
 */
function checkedOverrides(job: AnyJob, flags: JobFlags): Record<string, unknown> {
  if (flags.asOf && flags.asOf.getTime() > Date.now()) {
    throw new UsageError(`--as-of ${flags.asOf.toISOString()} is in the future.`);
  }
  const overrides = parseOverrides(flags.set ?? []);
  if (flags.algorithm !== undefined) overrides[ALGORITHM_KEY] = chosenVersion(job, flags.algorithm);
  if (flags.batchSize !== undefined && "batchSize" in configDefaults(job)) {
    overrides.batchSize = flags.batchSize;
  }
  return overrides;
}

async function runOne(
  db: Database,
  job: AnyJob,
  flags: JobFlags,
  overrides: Record<string, unknown>,
  io: CliIO,
): Promise<RunSummary> {
  if (flags.userId) await assertUserExists(db, flags.userId);
  if (flags.postId) await assertPostExists(db, flags.postId);
  const options: JobOptions = {
    ...(flags.userId && job.accepts.includes("userId") ? { userId: flags.userId } : {}),
    ...(flags.postId && job.accepts.includes("postId") ? { postId: flags.postId } : {}),
    ...(flags.mode && job.accepts.includes("mode") ? { mode: flags.mode } : {}),
    ...(flags.all && job.accepts.includes("all") ? { all: true } : {}),
    ...(flags.dryRun ? { dryRun: true } : {}),
  };
  const request = {
    trigger: "MANUAL" as const,
    options,
    overrides,
    ...(flags.asOf ? { asOf: flags.asOf } : {}),
    ...(flags.maxFailureShare !== undefined ? { maxFailureShare: flags.maxFailureShare } : {}),
    progress: progressFor(io),
  };
  const summary = flags.workers
    ? await withLocalWorkers(db, job, flags.workers, io, (local) =>
        runJob(db, job, { ...request, ...local }),
      )
    : await runJob(db, job, request);
  printSummary(summary, flags.json === true, io);
  // Manual whole-table runs feed monitoring too (daily aggregate, score snapshot for drift).
  const wholeTable = !options.dryRun && !options.userId && !options.postId;
  await observeRun(
    db,
    { job, trigger: "MANUAL", summary, now: new Date(), wholeTable },
    catalog,
    DEFAULT_HEALTH_LIMITS,
  );
  return summary;
}

/** How a full run of `job` is asked for on the command line. */
const fullRunFlag = (job: AnyJob) => (job.accepts.includes("mode") ? "--mode full" : "--all");

/**
 * `--workers` spreads the shards of one full run over worker processes sharing the database:
 * refused on the embedded database, and for any other run (incremental, one user or post, dry
 * runs, which compute in this process).
 */
function assertWorkersApply(job: AnyJob, flags: JobFlags): void {
  assertServerDatabase(
    "--workers",
    "Run without it: the shards run one after another in this process.",
  );
  const full = flags.mode === "full" || flags.all === true;
  if (!full || flags.userId || flags.postId || flags.dryRun) {
    throw new UsageError(
      `--workers spreads the shards of a full run: use it with ${fullRunFlag(job)}, without --user-id, --post-id or --dry-run.`,
    );
  }
}

function printSummary(summary: RunSummary, json: boolean, io: CliIO): void {
  if (json) {
    io.out(JSON.stringify(summary, null, 2));
    return;
  }
  const seconds = (summary.durationMs / 1000).toFixed(1);
  const written = Number(summary.metadata.rowsWritten ?? 0);
  const scanned = Number(summary.metadata.rowsScanned ?? 0);
  io.out(
    `${summary.jobName}: ${summary.status} in ${seconds} s — ${summary.itemsProcessed} items, ` +
      `${summary.itemsFailed} failed, ${scanned} rows scanned, ${written} rows written (run ${summary.runId})`,
  );
  if (summary.metadata.overBudget) {
    io.out(`  over budget: ${JSON.stringify(summary.metadata.budgetExceeded)}`);
  }
  if (summary.error) io.out(`  error: ${summary.error}`);
  if (summary.result !== undefined && summary.result !== null) {
    io.out(JSON.stringify(summary.result, null, 2));
  }
}

function chosenVersion(job: AnyJob, version: string): string {
  const versions = algorithmVersions(job);
  if (versions.includes(version)) return version;
  throw new UsageError(
    `--algorithm ${version}: ${job.name} has no such version (versions: ${versions.join(", ")})`,
  );
}

function exitFor(summaries: RunSummary[]): number {
  return summaries.every((s) => s.status === "SUCCESS") ? ExitCode.ok : ExitCode.failed;
}

function configHelp(job: AnyJob): string {
  const lines = configKeys(job).map(([k, v]) => `  ${k} = ${JSON.stringify(v)}`);
  const schedules = job.schedules.map((s) => `  ${s.label}: ${s.cron} (${s.timezone ?? "UTC"})`);
  return [
    "",
    "Algorithm versions (choose with --algorithm or --set algorithm=…):",
    ...algorithmVersions(job).map(
      (v) =>
        `  ${v}${v === job.algorithmVersion ? " (default)" : ""}${job.algorithms?.[v] ? `: ${job.algorithms[v]}` : ""}`,
    ),
    `Budget: ${job.budget.maxRowsScanned} rows scanned, ${job.budget.maxRowsWritten} rows written, ${job.budget.maxRuntimeMs} ms`,
    "Schedules:",
    ...(schedules.length ? schedules : ["  (none)"]),
    "Config (override with --set key=value; a nested key by its dotted name):",
    ...lines,
  ].join("\n");
}
