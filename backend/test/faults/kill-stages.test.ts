import { setTimeout as sleep } from "node:timers/promises";
import { createTestDatabase, type TestDatabase } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Child } from "../support/child.ts";
import {
  fullRun,
  matchTables,
  NEW_RUN,
  OLD_RUN,
  rebuildCopies,
  seedPopulation,
  startFullRunCli,
} from "./support.ts";

/**
 * kill -9 of a full match-scores run (a CLI process) at each stage of its rebuild: the lists
 * readers see stay the previous run's, whole; the next run drops the copy the killed one left
 * and writes exactly what an uninterrupted run writes. PostgreSQL only: one process at a time
 * opens the embedded database, so no other process could look at it.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)("kill -9 at each stage of a full run", () => {
  let db: TestDatabase;
  /** What an uninterrupted full run writes as of each clock. */
  const lists = new Map<Date, string[]>();
  /** The clock of the lists in the tables now; each test kills a run of the other clock. */
  let current = OLD_RUN;
  const other = () => (current === OLD_RUN ? NEW_RUN : OLD_RUN);

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedPopulation(db);
    for (const asOf of [NEW_RUN, OLD_RUN]) {
      await fullRun(db, asOf);
      lists.set(asOf, await matchTables(db));
    }
    expect(lists.get(OLD_RUN)).not.toEqual(lists.get(NEW_RUN));
  }, 120_000);
  afterAll(async () => {
    await db?.close();
  });

  async function kill(child: Child) {
    child.proc.kill("SIGKILL");
    expect((await child.exited).code).toBeNull();
  }

  /** What every kill must leave: the previous lists, whole, and the killed run's copies. */
  async function expectPreviousListsAndCopies() {
    expect(await matchTables(db)).toEqual(lists.get(current));
    expect(await rebuildCopies(db)).toEqual([
      "match_score_viewers_rebuild",
      "match_scores_rebuild",
    ]);
  }

  /** The next full run drops the copies, reaps the killed run, writes what an uninterrupted one does. */
  async function expectCleanRerun(asOf: Date) {
    await fullRun(db, asOf);
    expect(await rebuildCopies(db)).toEqual([]);
    expect(await matchTables(db)).toEqual(lists.get(asOf));
    const reaped = await db.prisma.jobRun.deleteMany({
      where: { jobName: "match-scores", status: "FAILED", error: { startsWith: "abandoned" } },
    });
    expect(reaped.count).toBe(1);
    current = asOf;
  }

  for (const stage of ["rebuild:scoring", "rebuild:keys", "rebuild:swap"]) {
    it(`killed at ${stage}`, async () => {
      const asOf = other();
      const child = startFullRunCli(db.url as string, asOf, { FEED_JOBS_PAUSE_AT: stage });
      await child.waitFor(`paused at ${stage}`);
      await kill(child);
      await expectPreviousListsAndCopies();
      await expectCleanRerun(asOf);
    });
  }

  it("killed mid-fill (the copy half written, scoring going on)", async () => {
    const asOf = other();
    const child = startFullRunCli(db.url as string, asOf);
    for (let waited = 0; waited < 60_000 && (await copiedScores(db)) === 0; waited += 10) {
      await sleep(10);
    }
    await kill(child);
    const copied = await copiedScores(db);
    expect(copied).toBeGreaterThan(0);
    expect(copied).toBeLessThan(lists.get(asOf)?.filter((r) => r.startsWith("score")).length ?? 0);
    await expectPreviousListsAndCopies();
    // Any run of the job drops the copies, a dry run too, and leaves the lists alone.
    await fullRun(db, asOf, true);
    expect(await rebuildCopies(db)).toEqual([]);
    expect(await matchTables(db)).toEqual(lists.get(current));
    await expectCleanRerun(asOf);
  });
});

/** Rows in the copy of match_scores, 0 before it exists. */
async function copiedScores(db: TestDatabase): Promise<number> {
  if ((await rebuildCopies(db)).length === 0) return 0;
  const [row] = await db.prisma.$queryRawUnsafe<{ n: number }[]>(
    "SELECT count(*)::int AS n FROM match_scores_rebuild",
  );
  return row?.n ?? 0;
}
