import type { Database } from "@feed-jobs/db";
import { testDatabaseKind } from "@feed-jobs/db/testing";
import { aucInterval, wilsonInterval } from "@feed-jobs/scoring/metrics";
import { describe, expect, it } from "vitest";
import { compatibilityEvaluator } from "../../src/eval/compatibility.ts";
import type { Measurement } from "../../src/eval/types.ts";
import { compatibilityJob } from "../../src/jobs/compatibility/job.ts";
import { type Fixtures, useTestDatabase } from "../support/database.ts";
import { daysBefore } from "../support/fixtures.ts";
import { runForTest } from "../support/run.ts";

const T = new Date("2026-03-01T12:00:00Z");
const point = { asOf: T, until: daysBefore(T, -7) };
const log = () => undefined;

let db: Database;
let f: Fixtures;
let messages = 0;

/** `count` messages between `a` and `b`, alternating from `a`, `daysAgo` days before T (negative: after). */
async function talk(a: string, b: string, count: number, daysAgo: number) {
  for (let i = 0; i < count; i++) {
    messages += 1;
    const [from, to] = i % 2 === 0 ? [a, b] : [b, a];
    await f.message({ id: `m${messages}`, from, to, at: daysBefore(T, daysAgo) });
  }
}

/**
 * Pairs in the job's scope at T (last message before T → messages in (T, T + 7 d]):
 *   a–b  2 messages 1 d before   → yes (b wrote, then a)   positive
 *   e–f  1 message 3 d before    → yes (f only)            positive
 *   g–h  never wrote; viewed each other's profiles         → yes        positive
 *   c–d  4 messages 10 d before  → no                                   negative
 *   a–c  6 messages 40 d before  → no                                   negative
 * Messaged in the window but never scored: b–e (no history). Not outcomes: a–d after the
 * window, and x (deactivated before T) writing to a.
 */
useTestDatabase(T, "file", async (opened, fixtures) => {
  db = opened;
  f = fixtures;
  for (const id of ["a", "b", "c", "d", "e", "f", "g", "h"]) await f.user({ id });
  await f.user({ id: "x", deactivatedAt: daysBefore(T, 1) });
  await talk("a", "b", 2, 1);
  await talk("e", "f", 1, 3);
  await talk("c", "d", 4, 10);
  await talk("a", "c", 6, 40);
  await f.event({ actorId: "g", type: "PROFILE_VIEW", targetUserId: "h", at: daysBefore(T, 5) });
  await f.event({ actorId: "h", type: "PROFILE_VIEW", targetUserId: "g", at: daysBefore(T, 5) });
  await talk("b", "a", 1, -1 / 24);
  await talk("a", "b", 1, -2);
  await talk("f", "e", 1, -3);
  await talk("g", "h", 1, -5);
  await talk("b", "e", 1, -1);
  await talk("a", "d", 1, -8);
  await talk("x", "a", 1, -1);
});

const find = (measurements: readonly Measurement[], method: string, metric: string) => {
  const m = measurements.find((x) => x.method === method && x.metric === metric);
  if (!m) throw new Error(`no ${method} ${metric} in ${JSON.stringify(measurements)}`);
  return m;
};
const AUC = "AUC (messages in 7 d)";
const POSITIVE = new Set(["a b", "e f", "g h"]);

/** Mann–Whitney by counting every (positive, negative) pair: the definition, not the metric's code. */
function countedAuc(scores: Map<string, number>): number {
  const pos = [...scores].filter(([key]) => POSITIVE.has(key)).map(([, s]) => s);
  const neg = [...scores].filter(([key]) => !POSITIVE.has(key)).map(([, s]) => s);
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

const snapshot = async () => ({
  rows: await db.prisma.userCompatibility.count(),
  runs: await db.prisma.jobRun.count(),
});

describe(`compatibility eval (${testDatabaseKind()})`, () => {
  const measured: Measurement[] = [];

  it("measures the baselines on the job's pairs, each pair once: values by hand", async () => {
    const before = await snapshot();
    const baselines = await compatibilityEvaluator.baselines(db, { points: [point], log });
    // Time since last message: a–b −24 h (+) > e–f −72 h (+) > c–d −240 h > a–c −960 h > g–h never (+).
    // Positives above negatives: a–b 2, e–f 2, g–h 0 → 4 of 6.
    const sinceLast = find(baselines, "baseline: time since last message", AUC);
    expect(sinceLast.value).toBeCloseTo(4 / 6, 12);
    expect(sinceLast.ci).toEqual(aucInterval(4 / 6, 3, 2));
    expect(sinceLast).toMatchObject({ n: 5, unit: "pairs" });
    // Decayed count (half-life 7 d): a–b 2·0.5^(1/7) = 1.81 (+) > c–d 4·0.5^(10/7) = 1.49 >
    // e–f 0.5^(3/7) = 0.74 (+) > a–c 6·0.5^(40/7) = 0.11 > g–h 0 (+): 2 + 1 + 0 → 3 of 6.
    const decayed = find(baselines, "baseline: decayed message count", AUC);
    expect(decayed.value).toBeCloseTo(3 / 6, 12);
    expect(decayed.n).toBe(5);
    expect(await snapshot()).toEqual(before);
  });

  it("scores each version's pairs against the window's messages and measures coverage", async () => {
    const before = await snapshot();
    for (const algorithm of ["compatibility-v1", "compatibility-v2"]) {
      measured.push(
        ...(await compatibilityEvaluator.evaluate(db, {
          overrides: { algorithm },
          points: [point],
          log,
        })),
      );
    }
    expect(await snapshot()).toEqual(before);
    for (const version of ["compatibility-v1", "compatibility-v2"]) {
      expect(find(measured, version, AUC)).toMatchObject({ n: 5, unit: "pairs" });
      // a–b, e–f, g–h scored, b–e not; a–d after the window and x (deactivated) do not count.
      expect(find(measured, version, "coverage")).toEqual({
        method: version,
        metric: "coverage",
        value: 3 / 4,
        ci: wilsonInterval(3, 4),
        n: 4,
        unit: "messaged pairs",
      });
    }
  });

  it("gives the AUC of the scores a real run as of T writes", async () => {
    for (const algorithm of ["compatibility-v1", "compatibility-v2"]) {
      await runForTest(db, compatibilityJob, T, { mode: "full" }, { algorithm });
      const rows = await db.prisma.userCompatibility.findMany();
      const scores = new Map<string, number>();
      for (const r of rows) scores.set([r.viewerUserId, r.targetUserId].sort().join(" "), r.score);
      expect([...scores.keys()].sort()).toEqual(["a b", "a c", "c d", "e f", "g h"]);
      expect(find(measured, algorithm, AUC).value).toBeCloseTo(countedAuc(scores), 12);
    }
  });

  it("pools the points: the same point twice doubles the pairs and keeps the AUC", async () => {
    const once = find(measured, "compatibility-v2", AUC);
    const twice = await compatibilityEvaluator.evaluate(db, {
      overrides: { algorithm: "compatibility-v2" },
      points: [point, { ...point }],
      log,
    });
    expect(find(twice, "compatibility-v2", AUC)).toMatchObject({ value: once.value, n: 10 });
    expect(find(twice, "compatibility-v2", "coverage")).toMatchObject({ value: 3 / 4, n: 8 });
    // After an evaluate, the baselines score the pairs it scored (no run of their own).
    const baselines = await compatibilityEvaluator.baselines(db, { points: [point], log });
    expect(find(baselines, "baseline: time since last message", AUC).value).toBeCloseTo(4 / 6, 12);
  });
});
