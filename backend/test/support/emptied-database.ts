import type { Database } from "@feed-jobs/db";
import { createTestDatabase } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { Fixtures } from "./database.ts";
import { fixtures } from "./fixtures.ts";

/**
 * Like `useTestDatabase(now, "test", opened)` — every test starts from an empty database — but
 * one database is opened per file and emptied before each test: emptying the tables is a
 * fraction of opening (PGlite: copying) a fresh database. Tables a test created (a run's
 * rebuild copy left by a failed run) are dropped, so the next test sees the schema as migrated.
 */
export function useEmptiedDatabase(
  now: Date,
  opened: (db: Database, f: Fixtures) => void | Promise<void>,
): void {
  let db: Database | undefined;
  let migrated: Set<string>;
  beforeAll(async () => {
    db = await createTestDatabase();
    migrated = new Set(await publicTables(db));
  });
  beforeEach(async () => {
    if (!db) throw new Error("the test database did not open");
    await emptyTables(db, migrated);
    await opened(db, fixtures(db, now));
  });
  afterAll(async () => {
    await db?.close();
  });
}

async function publicTables(db: Database): Promise<string[]> {
  const rows = await db.prisma.$queryRawUnsafe<{ name: string }[]>(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'",
  );
  return rows.map((r) => r.name);
}

/** Every migrated table emptied (ids restarted), every other public table dropped. */
async function emptyTables(db: Database, migrated: Set<string>): Promise<void> {
  const tables = await publicTables(db);
  const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(", ");
  const extra = tables.filter((t) => !migrated.has(t));
  if (extra.length > 0) await db.prisma.$executeRawUnsafe(`DROP TABLE ${quoted(extra)} CASCADE`);
  const data = tables.filter((t) => migrated.has(t) && t !== "_prisma_migrations");
  await db.prisma.$executeRawUnsafe(`TRUNCATE ${quoted(data)} RESTART IDENTITY CASCADE`);
}
