import { resolveRun } from "@feed-jobs/jobs";
import type { EvalPoint } from "../eval/types.ts";
import { AFFINITY_V2, affinityJob } from "../jobs/affinity/job.ts";
import { type AffinityKnobs, AffinityReplay, knobSettings } from "./affinity/replay.ts";
import type { Tuner } from "./types.ts";

/** The grids searched; the values in force are always candidates too. */
const DECAYS = [0.9, 0.95, 0.98, 0.99];
const LOOKBACK_DAYS = [30, 60, 90, 180];
const THRESHOLDS = [1, 2, 3, 5, 10];

/** Differences below this are ties (float noise of a mean over thousands of users). */
const TIE = 1e-9;

type Knob = keyof AffinityKnobs;

/**
 * Fits affinity's recency decay, lookback and cold-start threshold to recall@10 of the topics
 * users engage with next (the evaluator's metric), by coordinate search: decay, then lookback,
 * each candidate screened at the last training point (one job run each), then the threshold
 * over all training points (offline: a run keeps every profile). A value replaces the one in
 * force only when strictly better, so ties keep the settings. Since a user without a profile
 * counts 0, a lower threshold can only add recall; it is adopted where it does.
 */
export const affinityTuner: Tuner = {
  job: affinityJob.name,
  async tune(db, { train, test, overrides, log }) {
    const { version, config } = resolveRun(affinityJob, overrides);
    const inForce: AffinityKnobs = {
      recencyDecayFactor: config.recencyDecayFactor,
      lookbackDays: config.lookbackDays,
      minInteractions: version === AFFINITY_V2 ? config.v2.minInteractions : config.minInteractions,
    };
    const replay = new AffinityReplay(db, version, overrides, log);
    const started = Date.now();
    const screen = train.slice(-1);
    let best = inForce;
    const notes: string[] = [];
    const sweep = async (knob: Knob, grid: readonly number[], points: readonly EvalPoint[]) => {
      const found = await bestAlong(replay, best, knob, grid, points);
      notes.push(`${knob}: ${found.tried} → ${found.knobs[knob]}`);
      best = found.knobs;
    };
    await sweep("recencyDecayFactor", DECAYS, screen);
    await sweep("lookbackDays", LOOKBACK_DAYS, screen);
    await sweep("minInteractions", THRESHOLDS, train);
    const tuned = `${version} (tuned)`;
    const trainBefore = await replay.topicRecall(train, inForce, version);
    let trainAfter = await replay.topicRecall(train, best, tuned);
    // Screening on one point can pick noise: keep the settings unless the training points agree.
    if ((trainAfter.value ?? 0) <= (trainBefore.value ?? 0) + TIE) {
      best = inForce;
      trainAfter = await replay.topicRecall(train, best, tuned);
    }
    const before = await replay.topicRecall(test, inForce, version);
    const after = await replay.topicRecall(test, best, tuned);
    notes.push(
      `recall@10 topics, screened at ${screen.map((p) => p.asOf.toISOString()).join(", ")}; ${replay.replays} job runs in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    return {
      before,
      after,
      trainBefore,
      trainAfter,
      settings: knobSettings(version, best),
      notes,
    };
  },
};

/**
 * The value of `knob` (in force first, then the grid) with the highest recall at the points,
 * the others held; `tried` lists each candidate's recall.
 */
async function bestAlong(
  replay: AffinityReplay,
  start: AffinityKnobs,
  knob: Knob,
  grid: readonly number[],
  points: readonly EvalPoint[],
) {
  let knobs = start;
  let bestRecall = -1;
  const tried: string[] = [];
  for (const value of [start[knob], ...grid.filter((v) => v !== start[knob])]) {
    const candidate = { ...start, [knob]: value };
    const recall = (await replay.measure(points, candidate)).topicRecall() ?? 0;
    tried.push(`${value}: ${recall.toFixed(4)}`);
    if (recall > bestRecall + TIE) {
      bestRecall = recall;
      knobs = candidate;
    }
  }
  return { knobs, tried: tried.join(", ") };
}
