import { resolveRun } from "@feed-jobs/jobs";
import { coverage, METRICS, meanSpearman, type PointResult } from "../eval/trending/measure.ts";
import type { EvalPoint } from "../eval/types.ts";
import { trendingJob } from "../jobs/trending/job.ts";
import { TRENDING_V2 } from "../jobs/trending/versions.ts";
import {
  coordinateSearch,
  dotted,
  type Knob,
  type Settings,
  Trials,
  withSettings,
} from "./trending/search.ts";
import type { Tuner } from "./types.ts";

/** Half-lives in hours, doubling: the real data's good range (3–12 h) and twice beyond it. */
const HALF_LIVES = [1.5, 3, 6, 12, 24, 48];
const VELOCITY_HOURS = [0.5, 1, 2, 4, 8];
/** Rounds of the coordinate search: the second catches a gate that prefers another half-life. */
const MAX_ROUNDS = 2;

/** What the search tries for a version: its half-life, its gate and its velocity window. */
function knobsOf(version: string): Knob[] {
  if (version === TRENDING_V2) {
    return [
      { path: ["v2", "halfLifeHours"], grid: HALF_LIVES, objective: "window" },
      { path: ["v2", "minCandidates"], grid: [25, 50, 100, 200, 400, 800], objective: "window" },
      { path: ["v2", "velocityHalfLifeHours"], grid: VELOCITY_HOURS, objective: "velocity" },
    ];
  }
  return [
    { path: ["halfLifeHours"], grid: HALF_LIVES, objective: "window" },
    { path: ["minEngagements"], grid: [1, 2, 3, 5, 8], objective: "window" },
    { path: ["velocityWindow"], grid: VELOCITY_HOURS, objective: "velocity" },
  ];
}

/** The knobs' values in force under `overrides`. */
function inForce(knobs: readonly Knob[], config: Record<string, unknown>): Settings {
  const valueAt = (path: readonly string[]) =>
    path.reduce<unknown>((group, key) => (group as Record<string, unknown>)[key], config) as number;
  return new Map(knobs.map((k) => [dotted(k), valueAt(k.path)]));
}

async function resultsOf(trials: Trials, settings: Settings, points: readonly EvalPoint[]) {
  const results: PointResult[] = [];
  for (const point of points) results.push(await trials.at(settings, point));
  return results;
}

const windowSpearman = (method: string, results: readonly PointResult[]) =>
  meanSpearman(
    method,
    METRICS.window,
    results.map((r) => r.windowSpearman),
    results.reduce((sum, r) => sum + r.windowPosts, 0),
  );

const shown = (value: number | null) => (value === null ? "–" : value.toFixed(3));

/** The mean over the points that have one, or null. */
function meanOf(results: readonly PointResult[], key: "scoredSpearman" | "velocitySpearman") {
  const values = results.map((r) => r[key]).filter((v): v is number => v !== null);
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/** One line per secondary number on the test points: before → after. */
function testLines(before: readonly PointResult[], after: readonly PointResult[], version: string) {
  const change = (b: number | null, a: number | null) => `${shown(b)} → ${shown(a)}`;
  return [
    `Test, Spearman (24 h) over the scored posts: ${change(meanOf(before, "scoredSpearman"), meanOf(after, "scoredSpearman"))}.`,
    `Test, coverage: ${change(coverage(version, before).value, coverage(version, after).value)}.`,
    `Test, Spearman of velocity (24 h): ${change(meanOf(before, "velocitySpearman"), meanOf(after, "velocitySpearman"))}.`,
  ];
}

/**
 * Fits trending's half-life, gate and velocity window (of the version in force) by coordinate
 * search over small grids on the training points, each value judged by the job's own dry runs
 * as of each point against the next 24 h (the evaluator's outcome). Reports the Spearman over
 * every post of the window (unscored = 0) on the test points, before and after.
 */
export const trendingTuner: Tuner = {
  job: trendingJob.name,
  async tune(db, { train, test, overrides, log }) {
    const { version, config } = resolveRun(trendingJob, overrides);
    const knobs = knobsOf(version);
    const start = inForce(knobs, config);
    const trials = new Trials(db, overrides, log);
    const fitted = await coordinateSearch(trials, knobs, start, train, MAX_ROUNDS);
    const [trainBefore, trainAfter, testBefore, testAfter] = [
      await resultsOf(trials, start, train),
      await resultsOf(trials, fitted, train),
      await resultsOf(trials, start, test),
      await resultsOf(trials, fitted, test),
    ];
    const tuned = `${version} tuned`;
    const changes = knobs.map(
      (k) => `${dotted(k)} ${start.get(dotted(k))} → ${fitted.get(dotted(k))}`,
    );
    return {
      before: windowSpearman(version, testBefore),
      after: windowSpearman(tuned, testAfter),
      trainBefore: windowSpearman(version, trainBefore),
      trainAfter: windowSpearman(tuned, trainAfter),
      settings: withSettings({}, fitted),
      notes: [
        `Coordinate search (at most ${MAX_ROUNDS} rounds, ${trials.runs} dry runs) on ${train.length} training points over ${knobs.map((k) => `${dotted(k)} ∈ {${k.grid.join(", ")}}`).join("; ")}.`,
        "Half-life and gate are judged by the Spearman of popularity against the next 24 h over every post of the 48 h window (an unscored post counts 0, so a gate pays for what it leaves out); the velocity window by the Spearman of velocity over the scored posts.",
        `Chosen: ${changes.join(", ")}.`,
        ...testLines(testBefore, testAfter, version),
      ],
    };
  },
};
