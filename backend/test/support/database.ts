import type { Database } from "@feed-jobs/db";
import { createTestDatabase } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { fixtures } from "./fixtures.ts";

export type Fixtures = ReturnType<typeof fixtures>;

/**
 * A test database with fixtures at `now`, opened once for the file or describe block it is
 * called in and closed after. `opened` receives it (and may add the rows every test starts
 * from): once (`per: "file"`), or before each test (`per: "test"`, for jobs that rewrite whole
 * tables), each test then starting from an empty migrated database — emptied rather than opened
 * anew, a fraction of the cost (PGlite: loading a copy). The queue's schema is not emptied.
 */
export function useTestDatabase(
  now: Date,
  per: "test" | "file",
  opened: (db: Database, f: Fixtures) => void | Promise<void>,
): void {
  let db: Database | undefined;
  let migrated: Set<string>;
  beforeAll(async () => {
    db = await createTestDatabase();
    if (per === "file") await opened(db, fixtures(db, now));
    else migrated = new Set(await publicTables(db));
  });
  if (per === "test") {
    beforeEach(async () => {
      if (!db) throw new Error("the test database did not open");
      await emptyTables(db, migrated);
      await opened(db, fixtures(db, now));
    });
  }
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

/**
 * Every migrated table emptied (ids restarted); any other public table (a rebuild copy a failed
 * run left) dropped, so that the next test sees the schema as migrated.
 */
async function emptyTables(db: Database, migrated: Set<string>): Promise<void> {
  const tables = await publicTables(db);
  const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(", ");
  const extra = tables.filter((t) => !migrated.has(t));
  if (extra.length > 0) await db.prisma.$executeRawUnsafe(`DROP TABLE ${quoted(extra)} CASCADE`);
  const data = tables.filter((t) => migrated.has(t) && t !== "_prisma_migrations");
  await db.prisma.$executeRawUnsafe(`TRUNCATE ${quoted(data)} RESTART IDENTITY CASCADE`);
}
