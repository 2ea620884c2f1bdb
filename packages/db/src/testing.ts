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

/**
 * The buffer pool of every embedded test database. PostgreSQL zeroes all of it at each start:
 * with the default 128 MB that was two thirds of an open's CPU (1.3 s → 0.45 s at 16 MB), and a
 * test database of a few hundred rows fits in 16 MB.
 */
const TEST_SHARED_BUFFERS = "16MB";

async function templateDump(): Promise<Blob> {
  const dir = join(tmpdir(), "feed-jobs-test-templates");
  const file = join(dir, `template-${templateKey()}.tar`);
  if (existsSync(file)) return new Blob([readFileSync(file)]);
  const pglite = await createPglite();
  await migrate(wrapPglite(pglite, "memory, template"));
  await pglite.exec(`ALTER SYSTEM SET shared_buffers = '${TEST_SHARED_BUFFERS}'`);
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
  hash.update(migrationsKey());
  hash.update(`shared_buffers=${TEST_SHARED_BUFFERS}`);
  hash.update(require.resolve("@electric-sql/pglite"));
  hash.update(require.resolve("@electric-sql/pglite-pgvector"));
  return hash.digest("hex").slice(0, 16);
}

/** Changes with any migration. */
function migrationsKey(): string {
  const hash = createHash("sha256");
  for (const m of readMigrations()) hash.update(`${m.name}:${m.checksum}\n`);
  return hash.digest("hex").slice(0, 16);
}

async function createServerDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `feedjobs_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const template = await serverTemplate(serverUrl);
  // A copy of the migrated template: migrating each test database anew cost ~0.3 s of CPU
  // (client and server) per test file.
  await onServer(serverUrl, (admin) => admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  const url = databaseUrl(serverUrl, name);
  const db = openPostgres(url, { poolSize: 4 });
  return {
    ...db,
    url,
    async close() {
      await db.close();
      await onServer(serverUrl, (admin) =>
        admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      );
    },
  };
}

/**
 * The migrated template database on the server, named by the migrations it holds; built by the
 * first test process that needs it. Never left open: `CREATE DATABASE … TEMPLATE` refuses a
 * template that any session is connected to.
 */
let serverTemplateName: Promise<string> | undefined;

function serverTemplate(serverUrl: string): Promise<string> {
  serverTemplateName ??= buildServerTemplate(serverUrl);
  return serverTemplateName;
}

async function buildServerTemplate(serverUrl: string): Promise<string> {
  const name = `feedjobs_template_${migrationsKey()}`;
  await onServer(serverUrl, async (admin) => {
    // Test processes start together: one builds the template, the others wait for it.
    await admin.query("SELECT pg_advisory_lock(hashtext('feed-jobs test template'))");
    const found = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount) return;
    // Built under another name and renamed when complete: a process killed while migrating
    // leaves no half-migrated template behind under the real name.
    const partial = `feedjobs_partial_${process.pid}_${randomBytes(4).toString("hex")}`;
    await admin.query(`CREATE DATABASE ${partial}`);
    const db = openPostgres(databaseUrl(serverUrl, partial));
    try {
      await migrate(db);
    } finally {
      await db.close();
    }
    await admin.query(`ALTER DATABASE ${partial} RENAME TO ${name}`);
  });
  return name;
}

/** Runs `fn` on a connection of its own to the server's default database; the session lock goes with it. */
async function onServer<T>(serverUrl: string, fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
