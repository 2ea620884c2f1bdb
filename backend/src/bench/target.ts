import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { type Database, migrate, openDatabase } from "@feed-jobs/db";
import pg from "pg";

/** Where the benchmark's population lives; reused across runs of the same population. */
export interface BenchTarget {
  /** Environment for the processes that open the database. */
  env: NodeJS.ProcessEnv;
  description: string;
  /** The postmaster's pid when the benchmark started the server itself (its CPU is measured). */
  serverPid?: number;
  stop(): void;
}

const root = resolve(import.meta.dirname, "../../..");

/** The embedded database in `.data/bench-<population>` (git-ignored). */
export function embeddedTarget(population: string): BenchTarget {
  const dir = resolve(root, `.data/bench-${population}`);
  return {
    env: { ...process.env, DATABASE_URL: "", FEED_JOBS_DATA_DIR: dir },
    description: `embedded PGlite (${dir})`,
    stop: () => undefined,
  };
}

/**
 * A database `feedjobs_bench_<population>` on the server in DATABASE_URL, or, without one, on
 * a PostgreSQL server started on loopback for this run (data kept in `.data/bench-pg`).
 */
export async function postgresTarget(population: string): Promise<BenchTarget> {
  let serverUrl = process.env.DATABASE_URL?.trim();
  let stop: () => void = () => {};
  let serverPid: number | undefined;
  if (!serverUrl) {
    const dir = resolve(root, ".data/bench-pg");
    const script = resolve(root, "scripts/pg-server.sh");
    if (existsSync(resolve(dir, "data/postmaster.pid")))
      execFileSync("bash", [script, "stop", dir]);
    if (existsSync(resolve(dir, "data"))) {
      serverUrl = startServer(script, "restart", dir);
    } else {
      serverUrl = startServer(script, "start", dir);
    }
    stop = () => void execFileSync("bash", [script, "stop", dir]);
    serverPid = Number(readFileSync(resolve(dir, "data/postmaster.pid"), "utf8").split("\n")[0]);
  }
  const name = `feedjobs_bench_${population.replaceAll("-", "_")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${name}`);
    const version = await admin.query("SHOW server_version");
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      env: { ...process.env, DATABASE_URL: url.toString() },
      description: `PostgreSQL ${version.rows[0]?.server_version} (${url.host}/${name})`,
      ...(serverPid ? { serverPid } : {}),
      stop,
    };
  } finally {
    await admin.end();
  }
}

/**
 * Memory settings of a server sized for this population (the defaults, 128 MB of shared buffers
 * and 1 GB of WAL between checkpoints, are for a laptop); durability stays at the defaults.
 */
const SERVER_SETTINGS = "-c shared_buffers=1GB -c max_wal_size=4GB -c maintenance_work_mem=512MB";

/** Starts the benchmark's server with PostgreSQL's default durability settings. */
function startServer(script: string, command: "start" | "restart", dir: string): string {
  return execFileSync("bash", [script, command, dir, "54349"], {
    encoding: "utf8",
    env: { ...process.env, PG_EXTRA_OPTS: SERVER_SETTINGS },
  }).trim();
}

/** Opens the target's database (migrated), runs `fn` on it and closes it. */
export async function withTarget<T>(
  target: BenchTarget,
  fn: (db: Database) => Promise<T>,
): Promise<T> {
  const db = await openDatabase(target.env, target.env.FEED_JOBS_DATA_DIR);
  try {
    await migrate(db);
    return await fn(db);
  } finally {
    await db.close();
  }
}
