import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { Database } from "./database.ts";
import { createPglite, wrapPglite } from "./embedded.ts";
import { migrate, readMigrations } from "./migrate.ts";
import { openPostgres } from "./postgres.ts";

export { type FaultProxy, startFaultProxy } from "./fault-proxy.ts";

/**
 * A fresh, migrated database for one test file: PostgreSQL when TEST_DATABASE_URL names a
 * server (a new database on it, dropped on close), otherwise an in-memory PGlite loaded from
 * a migrated template shared by every test process. No test sees another test file's rows.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL?.trim();
  return serverUrl ? createServerDatabase(serverUrl) : createEmbeddedDatabase();
}

/** A test database; `url` is set for a server database, so other processes can open it. */
export type TestDatabase = Database & { readonly url?: string };

/** Which database the integration tests run against, for test names. */
export const testDatabaseKind = () => (process.env.TEST_DATABASE_URL ? "postgres" : "embedded");

/**
 * The migrated template, as a dump that each test database starts from. It is built once per
 * set of migrations and PGlite build and kept in the temporary folder for every test process:
 * a fresh PGlite's initdb and the migrations take tens of seconds on a busy machine, loading a
 * dump about one.
 */
let template: Promise<Blob> | undefined;

async function createEmbeddedDatabase(): Promise<Database> {
  template ??= templateDump();
  return wrapPglite(await createPglite(undefined, await template), "memory, test");
}

/**
 * Fills the empty folder `dir` with the migrated template: for tests of commands that open
 * the embedded database in a folder themselves (the CLI).
 */
export async function createTestDataDir(dir: string): Promise<void> {
  template ??= templateDump();
  const pglite = await createPglite(dir, await template);
  await pglite.close();
}

async function templateDump(): Promise<Blob> {
  const dir = join(tmpdir(), "feed-jobs-test-templates");
  const file = join(dir, `template-${templateKey()}.tar`);
  if (existsSync(file)) return new Blob([readFileSync(file)]);
  const pglite = await createPglite();
  await migrate(wrapPglite(pglite, "memory, template"));
  const dump = await pglite.dumpDataDir("none");
  await pglite.close();
  mkdirSync(dir, { recursive: true });
  // Written aside and renamed into place: a process reading it never sees half a file.
  const partial = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  renameSync(partial, file);
  return dump;
}

/** Changes with any migration and with the PGlite and pgvector builds (their paths name versions). */
function templateKey(): string {
  const require = createRequire(import.meta.url);
  const hash = createHash("sha256");
  for (const m of readMigrations()) hash.update(`${m.name}:${m.checksum}\n`);
  hash.update(require.resolve("@electric-sql/pglite"));
  hash.update(require.resolve("@electric-sql/pglite-pgvector"));
  return hash.digest("hex").slice(0, 16);
}

async function createServerDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `feedjobs_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = openPostgres(url.toString(), { poolSize: 4 });
  await migrate(db);
  return {
    ...db,
    url: url.toString(),
    async close() {
      await db.close();
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
