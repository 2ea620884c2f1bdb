import type { Database } from "@feed-jobs/db";
import { testDatabaseKind } from "@feed-jobs/db/testing";
import { aucInterval, meanInterval, wilsonInterval } from "@feed-jobs/scoring/metrics";
import { describe, expect, it } from "vitest";
import { matchScoresEvaluator } from "../../src/eval/match-scores.ts";
import type { EvalPoint, Measurement } from "../../src/eval/types.ts";
import { matchScoresJob } from "../../src/jobs/matchScores/job.ts";
import { kmNorth, man, woman } from "../jobs/match-scores.helpers.ts";
import { type Fixtures, useTestDatabase } from "../support/database.ts";
import { daysBefore } from "../support/fixtures.ts";
import { runForTest } from "../support/run.ts";

const T = new Date("2026-06-01T12:00:00Z");
const after = (days: number) => daysBefore(T, -days);
const point: EvalPoint = { asOf: T, until: after(7) };
const log = () => undefined;

let db: Database;
let f: Fixtures;

const like = (actorId: string, targetUserId: string, at: Date) =>
  f.event({ actorId, type: "LIKE", targetUserId, at });
let messages = 0;
const message = (from: string, to: string, at: Date) =>
  f.message({ id: `msg-${++messages}`, from, to, at });

/** metric → [value, ci, n] of one method's measurements. */
const table = (rows: readonly Measurement[]) =>
  Object.fromEntries(rows.map((m) => [m.metric, [m.value, m.ci, m.n]]));

/** Row count and a digest of every row of a table: any write changes one or the other. */
async function checksum(table: string) {
  const [row] = await db.prisma.$queryRawUnsafe<{ n: number; digest: string | null }[]>(
    `SELECT count(*)::int AS n, md5(string_agg(t::text, ',' ORDER BY t::text)) AS digest
     FROM ${table} t`,
  );
  return row;
}
const outputs = async () =>
  Promise.all(["match_scores", "match_score_viewers", "job_runs"].map(checksum));

/*
 * Two women and three men, alike but for place (no quiz, interests or soft preferences; the
 * same goal) and age: the score falls with distance, and distances are far enough apart that the
 * small age part of the demographic factor cannot reorder them. Each woman's list holds the
 * three men and each man's the two women, each pair with the same score both ways.
 *   pair   km  age gap  what happened                                  outcome
 *   w1-m1   5     3     profile likes both ways in the window           positive
 *   w2-m3  12     8     messages before T (and in the window)           before: left out
 *   w1-m2  20    15     w1 likes m2 in the window, m2 answers after it  negative
 *   w2-m2  30     5     first message in the window                     positive
 *   w2-m1  45     7     m1 liked w2 before T, w2 likes back in window   positive
 *   w1-m3  62     2     like each other's posts (not profiles)          negative
 * Also: w1 and w2 (not each other's match) talk in the window: a positive no list can hold;
 * an inactive m4 messages w1 in the window: not eligible, not counted.
 */
describe(`match-scores eval on a hand-made history (${testDatabaseKind()})`, () => {
  useTestDatabase(T, "file", async (opened, fixtures) => {
    db = opened;
    f = fixtures;
    await woman(f, "w1", { age: 30 });
    await woman(f, "w2", { age: 40, ...kmNorth(50) });
    await man(f, "m1", { age: 33, ...kmNorth(5) });
    await man(f, "m2", { age: 45, ...kmNorth(20) });
    await man(f, "m3", { age: 32, ...kmNorth(62) });
    await man(f, "m4", { age: 30, lastActiveAt: daysBefore(T, 40) });
    await like("w1", "m1", after(1));
    await like("m1", "w1", after(2));
    await message("w2", "m3", daysBefore(T, 5));
    await message("m3", "w2", after(1));
    await like("w1", "m2", after(1));
    await like("m2", "w1", after(8));
    await message("m2", "w2", after(3));
    await like("m1", "w2", daysBefore(T, 3));
    await like("w2", "m1", after(4));
    await f.post({ id: "w1-post", authorId: "w1", createdAt: daysBefore(T, 1) });
    await f.post({ id: "m3-post", authorId: "m3", createdAt: daysBefore(T, 1) });
    await f.event({ actorId: "w1", type: "LIKE", postId: "m3-post", at: after(1) });
    await f.event({ actorId: "m3", type: "LIKE", postId: "w1-post", at: after(2) });
    await message("w1", "w2", after(2));
    await message("m4", "w1", after(2));
    // Output rows and a JobRun that the eval must leave as they are.
    await runForTest(db, matchScoresJob, T, { mode: "full" });
  });

  it("scores the version's lists by hand: AUC, precision@10 and positives listed", async () => {
    const rows = await matchScoresEvaluator.evaluate(db, { overrides: {}, points: [point], log });
    expect(new Set(rows.map((r) => r.method))).toEqual(new Set(["match-v2"]));
    // Listed pairs best first, each twice (once per viewer): w1-m1 +, w1-m2 −, w2-m2 +, w2-m1 +,
    // w1-m3 −. Positive beats negative in 4 of 6 pair comparisons (24 of 36 rows).
    // Lists (hits / length): w1 1/3, w2 2/2 (m3 left out), m1 2/2, m2 1/2, m3 0/1 (w2 left out).
    // Matched pairs of eligible users: w1-m1, w2-m2, w2-m1 listed, w1-w2 not.
    expect(table(rows)).toEqual({
      AUC: [2 / 3, aucInterval(2 / 3, 6, 4), 10],
      "precision@10": [
        meanInterval([1 / 3, 1, 1, 1 / 2, 0]).mean,
        meanInterval([1 / 3, 1, 1, 1 / 2, 0]).ci,
        5,
      ],
      "positives listed": [3 / 4, wilsonInterval(3, 4), 4],
    });
    expect(rows.find((r) => r.metric === "precision@10")?.value).toBeCloseTo(17 / 30, 12);
  });

  it("ranks the same pairs by age gap for the baseline", async () => {
    const rows = await matchScoresEvaluator.baselines(db, { points: [point], log });
    expect(new Set(rows.map((r) => r.method))).toEqual(new Set(["baseline: age gap"]));
    // Closest ages first: w1-m3 − (2), w1-m1 + (3), w2-m2 + (5), w2-m1 + (7), w1-m2 − (15):
    // 3 of 6 comparisons. Lists hold fewer than 10, so precision is the version's.
    const values = table(rows);
    expect(values.AUC).toEqual([0.5, aucInterval(0.5, 6, 4), 10]);
    expect(values["precision@10"]?.[0]).toBeCloseTo(17 / 30, 12);
    expect(Object.keys(values)).toEqual(["AUC", "precision@10"]);
  });

  it("pools the points: the same point twice doubles every sample and keeps every value", async () => {
    const rows = await matchScoresEvaluator.evaluate(db, {
      overrides: {},
      points: [point, point],
      log,
    });
    expect(rows.map((r) => [r.metric, r.n])).toEqual([
      ["AUC", 20],
      ["precision@10", 10],
      ["positives listed", 8],
    ]);
    expect(rows.find((r) => r.metric === "AUC")?.value).toBeCloseTo(2 / 3, 12);
  });

  it("writes nothing: match_scores, match_score_viewers and job_runs stay as they were", async () => {
    const before = await outputs();
    expect(before.map((t) => t?.n)).toEqual([12, 5, 1]);
    await matchScoresEvaluator.evaluate(db, { overrides: {}, points: [point], log });
    await matchScoresEvaluator.baselines(db, { points: [point], log });
    expect(await outputs()).toEqual(before);
  });
});
