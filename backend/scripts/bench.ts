#!/usr/bin/env tsx
// `pnpm bench [--users N] [--db embedded|postgres] [--shape metro] [--workers 1,2]`: see
// "Benchmarks" in the README.
import { resolve } from "node:path";
import { Command, Option } from "commander";
import { runBenchmark } from "../src/bench/main.ts";
import { toMarkdown } from "../src/bench/report.ts";
import { isoTime, positiveInt } from "../src/cli/parse.ts";
import { addPopulationOptions, populationLayout } from "../src/cli/population-options.ts";

const program = new Command("bench")
  .description("Seed (or reuse) a population and measure every job, its write path and the feed")
  .option("--users <n>", "population size (default 10000)", positiveInt, 10_000)
  .addOption(
    new Option("--db <kind>", "where to run (default embedded)")
      .choices(["embedded", "postgres"])
      .default("embedded"),
  )
  .option("--seed <n>", "demo-data seed (default 42)", positiveInt, 42)
  .option("--as-of <time>", "the population's present (default 2026-11-01T12:00:00Z)", isoTime)
  .option(
    "--reference-rows <n>",
    "rows for the raw insert reference (default 100000)",
    positiveInt,
    100_000,
  )
  .option(
    "--per-row-rows <n>",
    "rows for the per-row upsert baseline (default 2000)",
    positiveInt,
    2_000,
  )
  .option("--feed-viewers <n>", "viewers for the feed latency (default 500)", positiveInt, 500)
  .option("--out <dir>", "results folder (default bench-results)", "bench-results")
  .option("--seed-only", "seed (or reuse) the population and measure nothing")
  .option("--jobs <names>", "only these jobs, comma-separated (default: all)", list)
  .option(
    "--workers <counts>",
    "measure each sharded job's full run with each number of local worker processes, e.g. 1,2",
    (value: string) => list(value).map(positiveInt),
  );
addPopulationOptions(program);
program.parse();
const flags = program.opts();

const report = await runBenchmark({
  users: flags.users,
  db: flags.db,
  seed: flags.seed,
  asOf: flags.asOf ?? new Date("2026-11-01T12:00:00Z"),
  layout: populationLayout({ shape: flags.shape, windowPosts: flags.windowPosts }),
  seedOnly: flags.seedOnly === true,
  ...(flags.jobs ? { jobs: flags.jobs } : {}),
  ...(flags.workers ? { workers: flags.workers } : {}),
  referenceRows: flags.referenceRows,
  perRowRows: flags.perRowRows,
  feedViewers: flags.feedViewers,
  outDir: resolve(import.meta.dirname, "../..", flags.out),
  log: (line) => process.stderr.write(`${line}\n`),
});
process.stdout.write(toMarkdown(report));

function list(value: string): string[] {
  return value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}
