import { randomBytes } from "node:crypto";
import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import type { Database } from "./database.ts";
import { createPglite, wrapPglite } from "./embedded.ts";
import { migrate } from "./migrate.ts";
import { openPostgres } from "./postgres.ts";

export { type FaultProxy, startFaultProxy } from "./fault-proxy.ts";

/**
 * A fresh, migrated database for one test file: PostgreSQL when TEST_DATABASE_URL names a
 * server (a new database on it, dropped on close), otherwise an in-memory PGlite cloned
 * from a template migrated once per worker. No test sees another test file's rows.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL?.trim();
  return serverUrl ? createServerDatabase(serverUrl) : createEmbeddedDatabase();
}

/** A test database; `url` is set for a server database, so other processes can open it. */
export type TestDatabase = Database & { readonly url?: string };

/** Which database the integration tests run against, for test names. */
export const testDatabaseKind = () => (process.env.TEST_DATABASE_URL ? "postgres" : "embedded");

let template: Promise<PGlite> | undefined;

async function createEmbeddedDatabase(): Promise<Database> {
  template ??= (async () => {
    const pglite = await createPglite();
    await migrate(wrapPglite(pglite, "memory, template"));
    return pglite;
  })();
  const clone = (await (await template).clone()) as PGlite;
  return wrapPglite(clone, "memory, test");
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
