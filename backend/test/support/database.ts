import type { Database } from "@feed-jobs/db";
import { createTestDatabase } from "@feed-jobs/db/testing";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { fixtures } from "./fixtures.ts";

export type Fixtures = ReturnType<typeof fixtures>;

/**
 * A test database with fixtures at `now`, opened before each test (`per: "test"`, for jobs that
 * rewrite whole tables) or once for the file or describe block it is called in (`per: "file"`),
 * and closed after. `opened` receives it (and may add the rows every test starts from).
 */
export function useTestDatabase(
  now: Date,
  per: "test" | "file",
  opened: (db: Database, f: Fixtures) => void | Promise<void>,
): void {
  let db: Database | undefined;
  const [before, after] = per === "test" ? [beforeEach, afterEach] : [beforeAll, afterAll];
  before(async () => {
    db = await createTestDatabase();
    await opened(db, fixtures(db, now));
  });
  after(async () => {
    await db?.close();
  });
}
