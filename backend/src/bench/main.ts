import { mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { type Database, migrate, openDatabase } from "@feed-jobs/db";
import { measureFeedLatency } from "@feed-jobs/feed";
import { DERIVED_TABLES, seedDemoData } from "../demo/seed.ts";
import { catalog } from "../jobs/catalog.ts";
import { type JobMeasurement, measureJob } from "./measure.ts";
import { jobOutputs, outputTables, sampleRows } from "./outputs.ts";
import { type BenchReport, toMarkdown, type WriteComparison } from "./report.ts";
import { type BenchTarget, embeddedTarget, postgresTarget } from "./target.ts";
import { perRowRate, referenceRate } from "./write-paths.ts";

export interface BenchOptions {
  users: number;
  db: "embedded" | "postgres";
  /** Demo-data seed. Default 42. */
  seed: number;
  /** The population's "now" and every run's --as-of: fixed so runs are comparable. */
  asOf: Date;
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
  const target =
    options.db === "postgres" ? await postgresTarget(options.users) : embeddedTarget(options.users);
  try {
    options.log(`database: ${target.description}`);
    const seed = await withTarget(target, (db) => ensurePopulation(db, options));
    const jobs: JobMeasurement[] = [];
    for (const job of catalog) {
      for (const mode of ["full", "incremental"] as const) {
        options.log(`running ${job.name} (${mode})…`);
        const measured = measureJob(target.env, job.name, options.asOf, mode);
        options.log(
          `  ${measured.status} in ${(measured.wallMs / 1000).toFixed(2)} s, ${measured.rowsWritten} rows written`,
        );
        jobs.push(measured);
      }
    }
    const report: BenchReport = {
      database: target.description,
      users: options.users,
      asOf: options.asOf.toISOString(),
      seed,
      jobs,
      writes: [],
    };
    // Saved now and again at the end: a failure below does not lose the jobs' figures.
    const file = reportPath(options);
    save(report, file, options);
    report.writes = await withTarget(target, (db) => compareWritePaths(db, jobs, options));
    options.log("feed latency…");
    report.feed = await withTarget(target, (db) => feedLatency(db, options));
    save(report, file, options);
    return report;
  } finally {
    target.stop();
  }
}

async function withTarget<T>(target: BenchTarget, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(target.env, target.env.FEED_JOBS_DATA_DIR);
  try {
    await migrate(db);
    return await fn(db);
  } finally {
    await db.close();
  }
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

function reportPath(options: BenchOptions): string {
  const stamp = new Date().toISOString().replaceAll(":", "-").slice(0, 19);
  return resolve(options.outDir, `${options.db}-${options.users}-${stamp}`);
}

function save(report: BenchReport, base: string, options: BenchOptions): void {
  mkdirSync(options.outDir, { recursive: true });
  writeFileSync(`${base}.md`, toMarkdown(report));
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  options.log(`wrote ${base}.md and .json`);
}
