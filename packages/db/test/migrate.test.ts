import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "../src/database.ts";
import { MigrationError, migrate, readMigrations } from "../src/migrate.ts";
import { createTestDatabase } from "../src/testing.ts";

const opened: Database[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
});

async function freshDatabase(): Promise<Database> {
  const db = await createTestDatabase();
  opened.push(db);
  // The test database is migrated; start these tests from an empty schema.
  await db.scriptTransaction((tx) =>
    tx.exec(
      "DROP SCHEMA public CASCADE; CREATE SCHEMA public; CREATE EXTENSION IF NOT EXISTS plpgsql",
    ),
  );
  return db;
}

function migrationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "feed-jobs-migrations-"));
  for (const [name, sql] of Object.entries(files)) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

const recorded = (db: Database) =>
  db.prisma.$queryRaw<{ migration_name: string; checksum: string; applied_steps_count: number }[]>`
    SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`;

describe("migrate", () => {
  it("applies the project's migrations to an empty database and records them as Prisma does", async () => {
    const db = await freshDatabase();
    const result = await migrate(db);
    const all = readMigrations();
    expect(result.applied).toEqual(all.map((m) => m.name));
    const rows = await recorded(db);
    expect(rows.map((r) => r.migration_name)).toEqual(all.map((m) => m.name));
    expect(rows.map((r) => r.checksum)).toEqual(all.map((m) => m.checksum));
    expect(rows.every((r) => r.applied_steps_count === 1)).toBe(true);
    expect(await db.prisma.user.count()).toBe(0);
  });

  it("is a no-op when applied again", async () => {
    const db = await freshDatabase();
    await migrate(db);
    const again = await migrate(db);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toEqual(readMigrations().map((m) => m.name));
    expect((await recorded(db)).length).toBe(readMigrations().length);
  });

  it("rolls back a failing migration, names it, and keeps the ones before it", async () => {
    const db = await freshDatabase();
    const dir = migrationsDir({
      "001_good": "CREATE TABLE a (id int);",
      "002_bad": "CREATE TABLE b (id int); INSERT INTO missing_table VALUES (1);",
    });
    const error = await migrate(db, readMigrations(dir)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).migration).toBe("002_bad");
    expect((error as Error).message).toMatch(/002_bad failed and was rolled back: .*missing_table/);
    expect((await recorded(db)).map((r) => r.migration_name)).toEqual(["001_good"]);
    const tables = await db.prisma.$queryRaw<{ name: string }[]>`
      SELECT table_name AS name FROM information_schema.tables WHERE table_name IN ('a', 'b')`;
    expect(tables.map((t) => t.name)).toEqual(["a"]);
  });

  it("refuses an applied migration whose file changed since", async () => {
    const db = await freshDatabase();
    await migrate(db, readMigrations(migrationsDir({ "001_first": "CREATE TABLE a (id int);" })));
    const tampered = readMigrations(
      migrationsDir({
        "001_first": "CREATE TABLE a (id bigint);",
        "002_second": "CREATE TABLE b (id int);",
      }),
    );
    await expect(migrate(db, tampered)).rejects.toThrow(
      /001_first was changed after it was applied/,
    );
    // Nothing after the tampered migration was applied either.
    expect((await recorded(db)).map((r) => r.migration_name)).toEqual(["001_first"]);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    "applies a migration statement that runs longer than the statement timeout, which other transactions keep (PostgreSQL only: the embedded database has no timeouts)",
    async () => {
      process.env.FEED_JOBS_STATEMENT_TIMEOUT_MS = "500";
      const db = await freshDatabase().finally(() => {
        delete process.env.FEED_JOBS_STATEMENT_TIMEOUT_MS;
      });
      // Past the server's 0.5 s limit and the client's wait for an answer (1 s).
      const slow = "SELECT pg_sleep(1.5);";
      const cancelled = /canceling statement due to statement timeout/;
      await expect(db.scriptTransaction((tx) => tx.exec(slow))).rejects.toThrow(cancelled);
      const dir = migrationsDir({ "001_slow": `${slow} CREATE TABLE slow (id int);` });
      expect((await migrate(db, readMigrations(dir))).applied).toEqual(["001_slow"]);
      expect((await recorded(db)).map((r) => r.migration_name)).toEqual(["001_slow"]);
      await expect(db.scriptTransaction((tx) => tx.exec(slow))).rejects.toThrow(cancelled);
    },
  );

  it("reports migrations recorded in the database but missing on disk", async () => {
    const db = await freshDatabase();
    await migrate(db, readMigrations(migrationsDir({ "001_old": "SELECT 1;" })));
    const result = await migrate(db, readMigrations(migrationsDir({ "002_new": "SELECT 2;" })));
    expect(result).toMatchObject({ applied: ["002_new"], unknown: ["001_old"] });
  });
});
