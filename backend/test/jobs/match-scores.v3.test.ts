import type { Database } from "@feed-jobs/db";
import { testDatabaseKind } from "@feed-jobs/db/testing";
import { DEFAULT_MATCH_V3_PARAMS as V3 } from "@feed-jobs/scoring/match";
import { describe, expect, it } from "vitest";
import { matchScoresJob } from "../../src/jobs/matchScores/job.ts";
import { type Fixtures, useTestDatabase } from "../support/database.ts";
import { runForTest } from "../support/run.ts";
import { candidatesOf, kmNorth, listOf, man, now, quiz16, woman } from "./match-scores.helpers.ts";

let db: Database;
let f: Fixtures;

useTestDatabase(now, "test", (opened, fixtures) => {
  db = opened;
  f = fixtures;
});

const V3_RUN = { algorithm: "match-v3" };
/** Pools of twenty men narrowed to ten, every one of them listed: a list is the narrowed pool. */
const NARROW = { poolCap: 10, topK: 10 };

const full = (overrides: Record<string, unknown> = {}) =>
  runForTest(db, matchScoresJob, now, { mode: "full" }, overrides);

/** Every stored row, comparable across runs. */
const rows = () =>
  db.prisma.$queryRaw<unknown[]>`
    SELECT viewer_user_id, candidate_user_id, score, reasons, algorithm_version
    FROM match_scores ORDER BY viewer_user_id, candidate_user_id`;

const WITHOUT_QUIZ = ["m-n0", "m-n1", "m-n2", "m-n3", "m-n4", "m-nowhere", "m-s0", "m-s1"];

/**
 * Two women (one with a quiz, one without) and twenty men: twelve with quizzes, six without
 * one (at 3 to 43 km, one unplaced) and two whose short quiz does not compare with 16 answers.
 */
async function population() {
  await woman(f, "w-quiz", { quiz: quiz16(1) });
  await woman(f, "w-none", kmNorth(1));
  for (let i = 0; i < 12; i++) {
    await man(f, `m-q${String(i).padStart(2, "0")}`, {
      age: 26 + (i % 9),
      quiz: quiz16(i % 2 === 0 ? 1 : 0, i / 3),
      ...kmNorth(4 * i),
    });
  }
  for (let i = 0; i < 5; i++) await man(f, `m-n${i}`, { age: 30 + i, ...kmNorth(3 + 10 * i) });
  await man(f, "m-nowhere", { latitude: null, longitude: null });
  await man(f, "m-s0", { quiz: [1, 0, 1, 0], ...kmNorth(2) });
  await man(f, "m-s1", { quiz: [0, 1, 0, 1], ...kmNorth(50) });
}

describe(`match-scores match-v3 on ${testDatabaseKind()}`, () => {
  it("--algorithm match-v3 keeps candidates without a quiz in their share of a narrowed pool, where match-v2 drops them", async () => {
    await population();
    await full({ ...NARROW, candidateSearch: "exact" });
    const v2 = await candidatesOf(db, "w-quiz");
    expect(v2).toHaveLength(10);
    expect(v2.filter((id) => WITHOUT_QUIZ.includes(id))).toEqual([]);

    const summary = await full({ ...NARROW, ...V3_RUN, candidateSearch: "exact" });
    const run = await db.prisma.jobRun.findUniqueOrThrow({ where: { id: summary.runId } });
    expect(run.algorithmVersion).toBe("match-v3");
    const versions = await db.prisma.matchScore.groupBy({ by: ["algorithmVersion"], _count: true });
    // Each woman lists ten men, each man both women.
    expect(versions).toEqual([{ algorithmVersion: "match-v3", _count: 2 * 10 + 20 * 2 }]);
    // Eight of twenty have no comparable quiz: four of ten places, the nearest four in km.
    const v3 = await candidatesOf(db, "w-quiz");
    expect(v3.filter((id) => WITHOUT_QUIZ.includes(id)).sort()).toEqual([
      "m-n0",
      "m-n1",
      "m-n2",
      "m-s0",
    ]);
    expect(v3.filter((id) => !WITHOUT_QUIZ.includes(id))).toHaveLength(6);
    // Without a quiz of her own the viewer's pool is narrowed as match-v2 narrows it: nearest first.
    await full({ ...NARROW, candidateSearch: "exact" });
    const noQuizV2 = (await candidatesOf(db, "w-none")).sort();
    await full({ ...NARROW, ...V3_RUN, candidateSearch: "exact" });
    expect((await candidatesOf(db, "w-none")).sort()).toEqual(noQuizV2);
  });

  it("gives the same match-v3 lists from memory, the candidate query and pgvector", async () => {
    await population();
    await full({ ...NARROW, ...V3_RUN, candidateSearch: "exact" });
    const exact = await rows();
    await full({ ...NARROW, ...V3_RUN, candidateSearch: "memory" });
    expect(await rows()).toEqual(exact);
    if (await db.hasVector()) {
      const auto = await full({ ...NARROW, ...V3_RUN, inMemoryFromViewers: 100_000 });
      expect(auto.metadata.candidateSearch).toBe("pgvector");
      expect(await rows()).toEqual(exact);
    }
  });

  it("scores by the v3 keys, which match-v2 ignores; match-v2 again gives its rows exactly", async () => {
    // Nothing known but place (the same) and ages 30 and 40, same goal: proximity and demographic.
    await woman(f, "w", { age: 30 });
    await man(f, "m", { age: 40 });
    await full();
    const v2 = await rows();
    const w = V3.weights;
    const total = w.quiz + w.interests + w.proximity + w.demographic + w.preferences;
    const expected = (o: { scale?: number; goalShare?: number; missing?: number } = {}) => {
      const g = o.goalShare ?? V3.goalShare;
      const fit = Math.exp(-(100 + 100) / (4 * (o.scale ?? V3.ageScaleYears) ** 2));
      const missing = (o.missing ?? 0) * (w.quiz + w.interests + w.preferences);
      return (w.proximity + w.demographic * ((1 - g) * fit + g) + missing) / total;
    };
    const scoreWith = async (overrides: Record<string, unknown>) => {
      await full({ ...V3_RUN, ...overrides });
      return (await listOf(db, "w"))[0]?.score;
    };
    expect(await scoreWith({})).toBeCloseTo(expected(), 12);
    expect(await scoreWith({ v3: { ageScaleYears: 10 } })).toBeCloseTo(expected({ scale: 10 }), 12);
    expect(await scoreWith({ v3: { goalShare: 0.5 } })).toBeCloseTo(
      expected({ goalShare: 0.5 }),
      12,
    );
    expect(await scoreWith({ v3: { missingValue: 0.2 } })).toBeCloseTo(
      expected({ missing: 0.2 }),
      12,
    );
    expect(await scoreWith({ v3: { weights: { proximity: 0, demographic: 0 } } })).toBe(0);

    await full({ v3: { ageScaleYears: 1, goalShare: 1, missingValue: 1, weights: { quiz: 0 } } });
    expect(await rows()).toEqual(v2);
  });

  it("an incremental match-v3 run after a match-v2 run recomputes every list", async () => {
    await woman(f, "w", { age: 30 });
    await man(f, "m", { age: 40 });
    await full();
    const summary = await runForTest(db, matchScoresJob, now, { mode: "incremental" }, V3_RUN);
    expect(summary.metadata.selection).toMatchObject({
      viewers: 2,
      reasons: { algorithm_changed: 2 },
    });
    expect((await listOf(db, "w")).map((r) => r.candidate)).toEqual(["m"]);
  });
});
