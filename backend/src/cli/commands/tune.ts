import type { Database } from "@feed-jobs/db";
import {
  ConfigError,
  changeSettings,
  chooseAlgorithm,
  configEntries,
  effectiveOverrides,
  parseOverrides,
  readSettings,
  writeSettings,
} from "@feed-jobs/jobs";
import { type Command, InvalidArgumentError } from "commander";
import { activitySpan } from "../../eval/history.ts";
import { findEvaluator } from "../../eval/registry.ts";
import { decimals, describePoints, formatCi } from "../../eval/report.ts";
import type { EvalPoint, Measurement } from "../../eval/types.ts";
import { findTuner, tuners } from "../../tune/registry.ts";
import { type Period, parsePeriod, trainTestSplit } from "../../tune/split.ts";
import type { TuneResult } from "../../tune/types.ts";
import { withDatabase } from "../database.ts";
import { type Cli, table, UsageError } from "../io.ts";
import { collect, isoTime } from "../parse.ts";
import { DEFAULT_STEP_MS, jobOf, step } from "./eval.ts";

interface TuneFlags {
  train?: Period;
  test?: Period;
  every?: number;
  algorithm?: string;
  set?: string[];
  write?: boolean;
  json?: boolean;
}

const period = (value: string) => {
  try {
    return parsePeriod(value, isoTime);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};

/** `tune <job>`: fits a job's weights and constants on a training period, reports a held-out test. */
export function registerTuneCommand(program: Command, cli: Cli): void {
  program
    .command("tune")
    .description(
      "Fit a job's weights and constants on a training period of this database's history and report the held-out metric before and after; prints the settings to adopt, stores them only with --write",
    )
    .argument("<job>", tuners.map((t) => t.job).join(", "))
    .option(
      "--train <T0..T1>",
      "as-of points to fit on (default: the 4 points before the test's)",
      period,
    )
    .option(
      "--test <T1..T2>",
      "held-out as-of points (default: the last 2 whose outcomes are known)",
      period,
    )
    .option("--every <step>", "step between points: 12h, 1d, 1w (default 1d)", step)
    .option("--algorithm <version>", "the version to tune (default: the one in force)")
    .option("--set <key=value>", "config override for before and after (repeatable)", collect)
    .option(
      "--write",
      "store the fitted settings as the job's next settings version (runs read it)",
    )
    .option("--json", "print JSON")
    .action(async (name: string, flags: TuneFlags) => {
      const output = await withDatabase((db) => tuneJob(db, name, flags, cli));
      cli.io.out(output);
    });
}

async function tuneJob(db: Database, name: string, flags: TuneFlags, cli: Cli): Promise<string> {
  const tuner = findTuner(name);
  const evaluator = findEvaluator(name);
  if (!tuner || !evaluator) {
    throw new UsageError(
      `${name} cannot be tuned (jobs that can: ${tuners.map((t) => t.job).join(", ")})`,
    );
  }
  const job = jobOf(tuner);
  const asked = parseOverrides(flags.set ?? []);
  if ("algorithm" in asked)
    throw new ConfigError("use --algorithm to choose the version, not --set algorithm=…");
  const chosen = flags.algorithm === undefined ? {} : { algorithm: flags.algorithm };
  const overrides = await effectiveOverrides(db, job, { ...asked, ...chosen });
  const { version } = chooseAlgorithm(job, overrides);
  const { train, test } = trainTestSplit(
    await activitySpan(db),
    { ...flags, everyMs: flags.every ?? DEFAULT_STEP_MS },
    evaluator,
  );
  const log = (message: string) => cli.io.err(message);
  log(`${name}: tuning ${version} on ${describePoints(train)}; testing on ${describePoints(test)}`);
  const result = await tuner.tune(db, { train, test, overrides, log });
  const adopt = { ...result.settings, ...chosen };
  const written = flags.write ? await storeTuned(db, job, adopt, summary(result)) : null;
  if (flags.json)
    return JSON.stringify({ job: name, version, train, test, ...result, written }, null, 2);
  return formatTune(name, version, result, adopt, written, { train, test });
}

/** The fitted settings laid over the stored ones, as the job's next settings version. */
async function storeTuned(
  db: Database,
  job: ReturnType<typeof jobOf>,
  adopt: Record<string, unknown>,
  note: string,
): Promise<number> {
  const current = (await readSettings(db, job.name))?.settings ?? {};
  return writeSettings(db, job, changeSettings(current, { set: adopt }), { actor: "tune", note });
}

const summary = (r: TuneResult) =>
  `${r.before.metric} on the test points ${show(r.before)} → ${show(r.after)}`;

const show = (m: Measurement) => (m.value === null ? "-" : decimals(m.value));

function formatTune(
  name: string,
  version: string,
  result: TuneResult,
  adopt: Record<string, unknown>,
  written: number | null,
  periods: {
    train: readonly EvalPoint[];
    test: readonly EvalPoint[];
  },
): string {
  const row = (label: string, before: Measurement, after: Measurement) => [
    before.metric,
    label,
    `${show(before)} (${formatCi(before.ci)})`,
    `${show(after)} (${formatCi(after.ci)})`,
  ];
  const metrics = table(
    ["metric", "points", "before", "after"],
    [
      row(`test: ${describePoints(periods.test)}`, result.before, result.after),
      row(`train: ${describePoints(periods.train)}`, result.trainBefore, result.trainAfter),
    ],
  );
  const settings = configEntries(adopt).map(([key, value]) => `  ${key}=${JSON.stringify(value)}`);
  const outcome =
    written === null
      ? `Nothing was changed; add --write to store these as the next settings version of ${name}.`
      : `Stored as ${name} settings version ${written}: every run of ${name} now uses them (\`pnpm job settings ${name}\`).`;
  return [
    `${name} (${version}): held-out metric before and after tuning`,
    metrics,
    "",
    "Settings to adopt:",
    ...(settings.length > 0 ? settings : ["  (none: the settings in force fit best)"]),
    ...(result.notes.length > 0 ? ["", ...result.notes] : []),
    "",
    outcome,
  ].join("\n");
}
