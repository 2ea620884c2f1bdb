import { mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Database } from "@feed-jobs/db";
import { measureFeedLatency } from "@feed-jobs/feed";
import { DERIVED_TABLES, type PopulationLayout, seedDemoData } from "../demo/seed.ts";
import { type AnyJob, catalog } from "../jobs/catalog.ts";
import { type JobMeasurement, measureJob } from "./measure.ts";
import { jobOutputs, outputTables, sampleRows } from "./outputs.ts";
import { type BenchReport, toMarkdown, type WriteComparison } from "./report.ts";
import { measureScaling } from "./scaling.ts";
import { embeddedTarget, postgresTarget, withTarget } from "./target.ts";
import { perRowRate, referenceRate } from "./write-paths.ts";

export interface BenchOptions {
  users: number;
  db: "embedded" | "postgres";
  /** Demo-data seed. Default 42. */
  seed: number;
  /** The population's "now" and every run's --as-of: fixed so runs are comparable. */
  asOf: Date;
  /** Where users live and how busy the trending window is (see demo/shape.ts). */
  layout: PopulationLayout;
  /** Only seed (or check) the population; measure nothing. */
  seedOnly: boolean;
  /** The jobs to measure (default: every job; with `workers`, every sharded job). */
  jobs?: string[];
  /**
   * Worker counts: each sharded job's full run is measured once per count, with that many
   * local worker processes (`--workers N`), instead of the usual full + incremental runs.
   */
  workers?: number[];
  /** Rows sent through the raw reference path per table. Default 100 000. */
  referenceRows: number;
  /** Rows upserted one by one for the naive baseline. Default 2 000. */
  perRowRows: number;
  /** Viewers whose first feed page is timed. Default 500. */
  feedViewers: number;
  outDir: string;
  log: (line: string) => void;
}

/** Seeds (or reuses) a population, measures every job, compares write paths, writes the report. */
export async function runBenchmark(options: BenchOptions): Promise<BenchReport> {
  const population = populationName(options);
  const target =
    options.db === "postgres" ? await postgresTarget(population) : embeddedTarget(population);
  try {
    options.log(`database: ${target.description}`);
    const seed = await withTarget(target, (db) => ensurePopulation(db, options));
    const report: BenchReport = {
      database: target.description,
      users: options.users,
      population,
      asOf: options.asOf.toISOString(),
      seed,
      jobs: [],
      writes: [],
    };
    if (options.seedOnly) return report;
    const file = reportPath(options, population);
    if (options.workers) {
      const jobs = chosenJobs(
        options,
        catalog.filter((job) => job.shard !== undefined),
      );
      report.scaling = await measureScaling(target, jobs, options.workers, options, (scaling) => {
        report.scaling = scaling;
        save(report, file, options);
      });
      return report;
    }
    for (const job of chosenJobs(options, catalog)) {
      for (const mode of ["full", "incremental"] as const) {
        options.log(`running ${job.name} (${mode})…`);
        const measured = measureJob(target.env, job.name, options.asOf, mode);
        options.log(
          `  ${measured.status} in ${(measured.wallMs / 1000).toFixed(2)} s, ${measured.rowsWritten} rows written`,
        );
        report.jobs.push(measured);
      }
    }
    // Saved now and again at the end: a failure below does not lose the jobs' figures.
    save(report, file, options);
    report.writes = await withTarget(target, (db) => compareWritePaths(db, report.jobs, options));
    options.log("feed latency…");
    report.feed = await withTarget(target, (db) => feedLatency(db, options));
    save(report, file, options);
    return report;
  } finally {
    target.stop();
  }
}

/**
 * The population's name, for its database and results: the size, then what differs from the
 * default layout (e.g. `100000-metro-window64000`); the default layout's name is the size alone.
 */
export function populationName(options: Pick<BenchOptions, "users" | "layout">): string {
  const { shape = "spread", recentPosts } = options.layout;
  const parts = [String(options.users)];
  if (shape !== "spread") parts.push(shape);
  if (recentPosts) parts.push(`window${recentPosts.posts}`);
  return parts.join("-");
}

/**
 * The catalog's jobs named in `options.jobs` (all of `candidates` without it), in the catalog's
 * order, whatever the order named: it puts the jobs whose outputs others read first (features
 * and match scores before compatibility and affinity), so each run reads its inputs as a
 * nightly run would.
 */
function chosenJobs(options: BenchOptions, candidates: readonly AnyJob[]): AnyJob[] {
  const named = options.jobs;
  if (!named) return [...candidates];
  for (const name of named) {
    if (!candidates.some((job) => job.name === name)) {
      const names = candidates.map((j) => j.name).join(", ");
      throw new RangeError(`--jobs: no job ${name} to measure here (jobs: ${names})`);
    }
  }
  return candidates.filter((job) => named.includes(job.name));
}

async function ensurePopulation(db: Database, options: BenchOptions) {
  const users = await db.prisma.user.count();
  const marker = await db.prisma.user.findFirst({
    orderBy: { id: "asc" },
    select: { createdAt: true },
  });
  if (users === options.users && marker) {
    // Every job starts from nothing, as on a fresh population: its first full run is measured.
    const cleared = [...DERIVED_TABLES, "job_runs"];
    await db.prisma.$executeRawUnsafe(`TRUNCATE ${cleared.join(", ")} CASCADE`);
    options.log(`reusing the seeded population of ${users} users; emptied ${cleared.join(", ")}`);
    return { reused: true, ms: 0, counts: await counts(db) };
  }
  options.log(`seeding ${options.users} users (seed ${options.seed})…`);
  const started = performance.now();
  await seedDemoData(db, {
    users: options.users,
    seed: options.seed,
    now: options.asOf,
    reset: true,
    ...options.layout,
    log: options.log,
  });
  return { reused: false, ms: performance.now() - started, counts: await counts(db) };
}

async function counts(db: Database): Promise<Record<string, number>> {
  const [row] = await db.prisma.$queryRaw<Record<string, number>[]>`
    SELECT (SELECT count(*)::int FROM users) AS users,
           (SELECT count(*)::int FROM posts) AS posts,
           (SELECT count(*)::int FROM engagement_events) AS events,
           (SELECT count(*)::int FROM messages) AS messages`;
  return row ?? {};
}

async function compareWritePaths(
  db: Database,
  jobs: JobMeasurement[],
  options: BenchOptions,
): Promise<WriteComparison[]> {
  const comparisons: WriteComparison[] = [];
  for (const measured of jobs.filter((m) => m.mode === "full" && m.rowsWritten > 0)) {
    const tableName = jobOutputs[measured.job];
    const table = tableName ? outputTables[tableName] : undefined;
    if (!table) continue;
    options.log(`write paths for ${table.table}…`);
    const rows = await sampleRows(db, table, Math.min(options.referenceRows, measured.rowsWritten));
    const referenceRowsPerSec = await referenceRate(db, table, rows);
    const perRowRows = rows.slice(0, options.perRowRows);
    const perRowRowsPerSec = await perRowRate(db, table, perRowRows);
    comparisons.push({
      job: measured.job,
      table: table.table,
      sampleRows: rows.length,
      referenceRowsPerSec,
      perRowSampleRows: perRowRows.length,
      perRowRowsPerSec,
    });
  }
  return comparisons;
}

/** rankFeed's first page for a deterministic sample of active viewers, after every job ran. */
async function feedLatency(db: Database, options: BenchOptions) {
  const viewers = await db.prisma.user.findMany({
    where: { deletedAt: null, deactivatedAt: null },
    orderBy: { id: "asc" },
    select: { id: true },
    take: options.feedViewers,
  });
  return measureFeedLatency(
    db,
    viewers.map((v) => v.id),
    options.asOf,
  );
}

function reportPath(options: BenchOptions, population: string): string {
  const stamp = new Date().toISOString().replaceAll(":", "-").slice(0, 19);
  const kind = options.workers ? `-workers${options.workers.join("_")}` : "";
  return resolve(options.outDir, `${options.db}-${population}${kind}-${stamp}`);
}

function save(report: BenchReport, base: string, options: BenchOptions): void {
  mkdirSync(options.outDir, { recursive: true });
  writeFileSync(`${base}.md`, toMarkdown(report));
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  options.log(`wrote ${base}.md and .json`);
}
