import type { Database } from "@feed-jobs/db";
import { createTestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import { runJob } from "@feed-jobs/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "../../src/demo/seed.ts";
import { matchScoresJob } from "../../src/jobs/matchScores/job.ts";

const now = new Date("2026-11-01T12:00:00Z");
let db: Database;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoData(db, { users: 600, seed: 7, now, reset: true, log: () => undefined });
}, 120_000);
afterAll(async () => {
  await db.close();
});

/** Every list of a full run that searches candidates as `expected`, as comparable rows. */
async function fullRun(
  candidateSearch: string,
  expected = candidateSearch,
  algorithm = "match-v2",
) {
  const summary = await runJob(db, matchScoresJob, {
    asOf: now,
    options: { mode: "full" },
    // A small cap, so that many pools are narrowed.
    overrides: { candidateSearch, poolCap: 40, topK: 20, inMemoryFromViewers: 100_000, algorithm },
  });
  expect(summary.status).toBe("SUCCESS");
  expect(summary.metadata.candidateSearch).toBe(expected);
  return db.prisma.$queryRaw<unknown[]>`
    SELECT viewer_user_id, candidate_user_id, score, reasons
    FROM match_scores ORDER BY viewer_user_id, candidate_user_id`;
}

describe(`match-scores candidate search on ${testDatabaseKind()}`, () => {
  it("gives the same lists from the population in memory as from the candidate query", async () => {
    const exact = await fullRun("exact");
    expect(exact.length).toBeGreaterThan(2_000);
    expect(await fullRun("memory")).toEqual(exact);
    if (await db.hasVector()) expect(await fullRun("auto", "pgvector")).toEqual(exact);
  }, 120_000);

  it("gives the same match-v3 lists (stratified narrowing) every way", async () => {
    const exact = await fullRun("exact", "exact", "match-v3");
    expect(exact.length).toBeGreaterThan(2_000);
    expect(await fullRun("memory", "memory", "match-v3")).toEqual(exact);
    if (await db.hasVector()) {
      expect(await fullRun("auto", "pgvector", "match-v3")).toEqual(exact);
    }
  }, 120_000);
});
