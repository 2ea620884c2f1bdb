import type { Database } from "@feed-jobs/db";
import { createTestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import type { RunSummary } from "@feed-jobs/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matchScoresJob } from "../../src/jobs/matchScores/job.ts";
import { fixtures } from "../support/fixtures.ts";
import { runForTest } from "../support/run.ts";
import { candidatesOf, hoursAfter, kmNorth, man, now, woman } from "./match-scores.helpers.ts";

/**
 * Rows of match-scores' input tables that the schema allows but no run should trust, next to
 * good users. Every run mode must succeed, count the bad inputs by kind, apply the documented
 * rules (packages/scoring/src/match/index.ts) the same way in every candidate search, and score
 * the good users exactly as a database without the bad rows does.
 */

const GOOD_WOMEN = ["w1", "w2", "w3"];
const GOOD_MEN = ["m1", "m2"];
const GOOD = [...GOOD_WOMEN, ...GOOD_MEN];
const QUIZ = [1, 0, 1, 0];

/** Each bad user (a man seeking women near the good women) and what is wrong with it. */
const BAD_ROWS: Record<string, string[]> = {
  "b-nan-km": ["UPDATE match_preferences SET max_distance_km = 'NaN' WHERE user_id = $1"],
  "b-inf-km": ["UPDATE match_preferences SET max_distance_km = 'Infinity' WHERE user_id = $1"],
  "b-neg-km": ["UPDATE match_preferences SET max_distance_km = -5 WHERE user_id = $1"],
  "b-ages": ["UPDATE match_preferences SET min_age = -5, max_age = 100000 WHERE user_id = $1"],
  "b-inverted": ["UPDATE match_preferences SET min_age = 50, max_age = 20 WHERE user_id = $1"],
  "b-quiz-null": ["UPDATE quiz_responses SET answers = '{1,NULL,0,1}' WHERE user_id = $1"],
  "b-quiz-nan": ["UPDATE quiz_responses SET answers = '{NaN,0,1,0}' WHERE user_id = $1"],
  "b-quiz-range": ["UPDATE quiz_responses SET answers = '{5,0,1,-1e300}' WHERE user_id = $1"],
  // More answers than a vector may have (pgvector: 16,000).
  "b-quiz-long": [
    "UPDATE quiz_responses SET answers = array_fill(1::float8, ARRAY[20000]) WHERE user_id = $1",
  ],
  "b-lat-999": ["UPDATE users SET latitude = 999 WHERE id = $1"],
  "b-lat-nan": ["UPDATE users SET latitude = 'NaN' WHERE id = $1"],
  "b-lon-inf": ["UPDATE users SET longitude = 'Infinity' WHERE id = $1"],
  "b-half-place": ["UPDATE users SET longitude = NULL WHERE id = $1"],
  "b-nulls": [
    "UPDATE users SET attributes = '{dog,NULL}', genders_sought = '{WOMAN,NULL}' WHERE id = $1",
    "UPDATE match_preferences SET dealbreakers = '{NULL}', preferences = '{NULL,dog}' WHERE user_id = $1",
  ],
};
const UNPLACEABLE = ["b-lat-999", "b-lat-nan", "b-lon-inf", "b-half-place"];

let bad: Database;
let clean: Database;

async function seedGood(db: Database) {
  const f = fixtures(db, now);
  for (const [i, id] of GOOD_WOMEN.entries()) {
    await woman(f, id, { quiz: QUIZ, interests: ["hiking"], attributes: ["dog"], ...kmNorth(i) });
  }
  for (const [i, id] of GOOD_MEN.entries()) {
    await man(f, id, { quiz: [1, 0, 0.5, 0], interests: ["hiking"], ...kmNorth(5 + i) });
  }
}

beforeAll(async () => {
  [bad, clean] = [await createTestDatabase(), await createTestDatabase()];
  await seedGood(clean);
  await seedGood(bad);
  const f = fixtures(bad, now);
  for (const [id, statements] of Object.entries(BAD_ROWS)) {
    await man(f, id, { quiz: QUIZ, interests: ["hiking"], ...kmNorth(3) });
    for (const sql of statements) await bad.prisma.$executeRawUnsafe(sql, id);
  }
}, 180_000);
afterAll(async () => {
  await bad?.close();
  await clean?.close();
});

interface Row {
  viewer: string;
  candidate: string;
  score: number;
  reasons: unknown;
}

const rowsOf = (db: Database) =>
  db.prisma.$queryRaw<Row[]>`
    SELECT viewer_user_id AS viewer, candidate_user_id AS candidate, score, reasons
    FROM match_scores ORDER BY viewer_user_id, candidate_user_id`;
const between = (rows: Row[], ids: readonly string[]) =>
  rows.filter((r) => ids.includes(r.viewer) && ids.includes(r.candidate));

const run = (db: Database, options: object, overrides: Record<string, unknown> = {}, hours = 0) =>
  runForTest(db, matchScoresJob, hoursAfter(now, hours), options, overrides);

function expectBadInputsCounted(summary: RunSummary) {
  expect(summary.metadata.excluded).toEqual({
    invalidMaxDistance: 3,
    invalidAgeRange: 2,
    invalidQuiz: 4,
    invalidLocation: 4,
    nullListElement: 1,
  });
  expect(summary.metadata.failures).toBeUndefined();
}

describe(`match-scores on bad input rows on ${testDatabaseKind()}`, () => {
  let reference: Row[];

  it("a full run in memory succeeds, counts bad inputs by kind and applies the rules", async () => {
    await run(clean, { mode: "full" }, { candidateSearch: "exact" });
    const summary = await run(bad, { mode: "full" }, { candidateSearch: "memory" });
    expectBadInputsCounted(summary);
    reference = await rowsOf(bad);
    expect(between(reference, GOOD)).toEqual(between(await rowsOf(clean), GOOD));

    const listed = new Set(reference.map((r) => r.candidate));
    // A place that is not one: shown to nobody, and shown nobody (an empty list is recorded).
    for (const id of UNPLACEABLE) {
      expect(listed.has(id)).toBe(false);
      expect(await candidatesOf(bad, id)).toEqual([]);
    }
    const viewers = await bad.prisma.matchScoreViewer.findMany({ select: { viewerUserId: true } });
    expect(viewers.map((v) => v.viewerUserId)).toEqual(expect.arrayContaining(UNPLACEABLE));
    // A max distance that is no distance is the default (80 km): 3 km from the women, listed.
    for (const id of ["b-nan-km", "b-inf-km", "b-neg-km"]) {
      expect((await candidatesOf(bad, id)).sort()).toEqual(GOOD_WOMEN);
    }
    // Ages clamped into [18, 120]; an empty range accepts nobody.
    expect((await candidatesOf(bad, "b-ages")).sort()).toEqual(GOOD_WOMEN);
    expect(await candidatesOf(bad, "b-inverted")).toEqual([]);
    expect(listed.has("b-inverted")).toBe(false);
    // Invalid answers are no quiz: scored without one, never with a NaN.
    for (const id of ["b-quiz-null", "b-quiz-nan", "b-quiz-range", "b-quiz-long"]) {
      const rows = reference.filter((r) => r.viewer === id || r.candidate === id);
      expect(rows).toHaveLength(2 * GOOD_WOMEN.length);
      for (const r of rows) {
        expect(Number.isFinite(r.score)).toBe(true);
        expect(JSON.stringify(r.reasons)).not.toContain("quiz_compatible");
      }
    }
    // NULL elements dropped: 'dog' is still refused nowhere, still preferred.
    expect((await candidatesOf(bad, "b-nulls")).sort()).toEqual(GOOD_WOMEN);
  }, 120_000);

  it("the candidate query gives the same lists (and pgvector where the database has it)", async () => {
    const exact = await run(bad, { mode: "full" }, { candidateSearch: "exact" });
    expectBadInputsCounted(exact);
    expect(await rowsOf(bad)).toEqual(reference);
    if (await bad.hasVector()) {
      // Small pools, so that pgvector narrows them (quiz answers and distances both count).
      const vector = await run(bad, { mode: "full" }, { candidateSearch: "auto", poolCap: 2 });
      expect(vector.metadata.candidateSearch).toBe("pgvector");
      const narrowedByVector = await rowsOf(bad);
      await run(bad, { mode: "full" }, { candidateSearch: "exact", poolCap: 2 });
      expect(narrowedByVector).toEqual(await rowsOf(bad));
    }
  }, 120_000);

  it("incremental and --user-id runs (the query path) succeed and agree", async () => {
    await bad.prisma.$executeRawUnsafe("DELETE FROM match_score_viewers");
    await bad.prisma.$executeRawUnsafe("DELETE FROM match_scores");
    const incremental = await run(bad, { mode: "incremental" }, {}, 1);
    expectBadInputsCounted(incremental);
    expect(incremental.metadata.selection).toMatchObject({ reasons: { new: 19 } });
    expect(await rowsOf(bad)).toEqual(reference);
    for (const id of [...GOOD, ...Object.keys(BAD_ROWS)]) {
      const one = await run(bad, { userId: id }, {}, 2);
      expect(one.result).toMatchObject({ viewers: 1, lists: 1 });
    }
    expect(await rowsOf(bad)).toEqual(reference);
  }, 240_000);
});
