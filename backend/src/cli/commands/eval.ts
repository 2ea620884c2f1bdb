import type { Database } from "@feed-jobs/db";
import {
  algorithmVersions,
  ConfigError,
  chooseAlgorithm,
  effectiveOverrides,
  parseOverrides,
} from "@feed-jobs/jobs";
import { type Command, InvalidArgumentError } from "commander";
import { activitySpan } from "../../eval/history.ts";
import { evalPoints, parseStep } from "../../eval/points.ts";
import { evaluators, findEvaluator } from "../../eval/registry.ts";
import { EVAL_HEADERS, evalRows, evalTitle } from "../../eval/report.ts";
import { type EvalReport, runEval } from "../../eval/run.ts";
import type { Evaluator } from "../../eval/types.ts";
import { type AnyJob, findJob } from "../../jobs/catalog.ts";
import { withDatabase } from "../database.ts";
import { type Cli, table, UsageError } from "../io.ts";
import { collect, isoTime } from "../parse.ts";

interface EvalFlags {
  from?: Date;
  to?: Date;
  every?: number;
  algorithm?: string;
  set?: string[];
  json?: boolean;
}

/** The step between points unless --every says otherwise. */
export const DEFAULT_STEP_MS = 86_400_000;

export function step(value: string): number {
  const ms = parseStep(value);
  if (ms === null)
    throw new InvalidArgumentError(`expected a step such as 12h, 1d or 1w, got "${value}".`);
  return ms;
}

/** `eval <job|all>`: backtests versions and baselines on the database's own history. */
export function registerEvalCommand(program: Command, cli: Cli): void {
  program
    .command("eval")
    .description(
      "Backtest a job on this database's history: at each as-of point compute its output as of then (nothing is written) and score it against what happened next; every version side by side with simple baselines",
    )
    .argument("<job>", `${evaluators.map((e) => e.job).join(", ")}, or all`)
    .option(
      "--from <time>",
      "first as-of point (ISO time; default: two steps before --to)",
      isoTime,
    )
    .option(
      "--to <time>",
      "last as-of point (default: one outcome window before the last activity)",
      isoTime,
    )
    .option("--every <step>", "step between points: 12h, 1d, 1w (default 1d)", step)
    .option(
      "--algorithm <versions>",
      "comma-separated versions (default: every version of the job)",
    )
    .option("--set <key=value>", "config override for every version (repeatable)", collect)
    .option("--json", "print JSON")
    .action(async (name: string, flags: EvalFlags) => {
      const chosen = name === "all" ? evaluators : [evaluatorOf(name)];
      const reports = await withDatabase(async (db) => {
        const done: EvalReport[] = [];
        for (const evaluator of chosen) done.push(await evaluateJob(db, evaluator, flags, cli));
        return done;
      });
      cli.io.out(
        flags.json ? JSON.stringify(reports, null, 2) : reports.map(formatReport).join("\n\n"),
      );
    });
}

export function evaluatorOf(name: string): Evaluator {
  const evaluator = findEvaluator(name);
  if (evaluator) return evaluator;
  const known = evaluators.map((e) => e.job).join(", ");
  throw new UsageError(
    findJob(name)
      ? `${name} has no backtest (jobs with one: ${known})`
      : `unknown job "${name}" (jobs with a backtest: ${known})`,
  );
}

export function jobOf(evaluator: { job: string }): AnyJob {
  const job = findJob(evaluator.job);
  if (!job) throw new Error(`${evaluator.job}: evaluator without a job in the catalog`);
  return job;
}

/** The versions asked for (each checked), or every version of the job. */
export function chosenVersions(job: AnyJob, asked: string | undefined): string[] {
  if (asked === undefined) return algorithmVersions(job);
  const versions = asked
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
  if (versions.length === 0) throw new UsageError("--algorithm: name at least one version");
  for (const version of versions) chooseAlgorithm(job, { algorithm: version });
  return versions;
}

async function evaluateJob(db: Database, evaluator: Evaluator, flags: EvalFlags, cli: Cli) {
  const job = jobOf(evaluator);
  const versions = chosenVersions(job, flags.algorithm);
  const asked = parseOverrides(flags.set ?? []);
  if ("algorithm" in asked)
    throw new ConfigError("use --algorithm to choose versions, not --set algorithm=…");
  // The stored settings in force, as runs read them; the versions compared are --algorithm's.
  const { algorithm: _stored, ...overrides } = await effectiveOverrides(db, job, asked);
  const range = { from: flags.from, to: flags.to, everyMs: flags.every ?? DEFAULT_STEP_MS };
  const points = evalPoints(await activitySpan(db), range, evaluator);
  return runEval(db, evaluator, { versions, overrides, points, log: (m) => cli.io.err(m) });
}

function formatReport(report: EvalReport): string {
  return `${evalTitle(report)}\n${table(EVAL_HEADERS, evalRows(report.measurements))}`;
}
