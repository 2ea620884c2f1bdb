import type { Database } from "@feed-jobs/db";
import { computeAsOf, resolveRun } from "@feed-jobs/jobs";
import { FACTOR_NAMES, type FactorWeights } from "@feed-jobs/scoring/match";
import { firstMatches, lastUntil } from "../eval/match-scores/outcomes.ts";
import { areaUnderCurve } from "../eval/measurements.ts";
import type { EvalPoint, Measurement } from "../eval/types.ts";
import { matchScoresJob } from "../jobs/matchScores/job.ts";
import { MATCH_V3, matchAlgorithm } from "../jobs/matchScores/versions.ts";
import { type FittedWeights, fitWeights, rescored } from "./match-scores/fit.ts";
import { PairSample, type SampledPair, samplePoint } from "./match-scores/pair-sample.ts";
import type { Tuner } from "./types.ts";

/**
 * Fits match-scores' five factor weights to who went on to match (the evaluator's outcome: liked
 * each other both ways or started talking within a week of a point), by logistic regression on
 * the factors as the combination counts them (see ./match-scores/fit.ts), and reports the AUC on
 * held-out points with the weights in force and with the fitted ones.
 */

/** Negatives kept per sample (train or test): plenty for five coefficients, quick to fit. */
const MAX_NEGATIVES = 100_000;

/** Where a version keeps its factor weights: match-v3 in its group, match-v2 in top-level keys. */
function weightSettings(version: string, w: FactorWeights): Record<string, unknown> {
  if (version === MATCH_V3) return { v3: { weights: { ...w } } };
  return {
    quizWeight: w.quiz,
    interestWeight: w.interests,
    proximityWeight: w.proximity,
    demographicWeight: w.demographic,
    preferenceWeight: w.preferences,
  };
}

/** The version and scoring constants that `overrides` make a run use. */
function scoringOf(overrides: Record<string, unknown>) {
  const { version, config } = resolveRun(matchScoresJob, overrides);
  return { version, config, scoring: matchAlgorithm(version, config).scoring };
}

/**
 * Samples the scored pairs of the points. Pools, not lists: a top-K list holds only what the
 * weights in force ranked high, so outcomes there say little about what lower-ranked pairs
 * would do under other weights. With `topK` raised to `poolCap` a run lists every candidate it
 * scored (the pool after the hard filters and the version's narrowing, which the weights do not
 * touch), so the fit sees the whole range each weight choice picks from.
 */
async function samplePools(
  db: Database,
  points: readonly EvalPoint[],
  overrides: Record<string, unknown>,
  first: ReadonlyMap<string, number>,
  log: (message: string) => void,
): Promise<PairSample> {
  const poolOverrides = { ...overrides, topK: scoringOf(overrides).config.poolCap };
  const sample = new PairSample(MAX_NEGATIVES);
  for (const point of points) {
    const collect = samplePoint(sample, first, point);
    const run = await computeAsOf(db, matchScoresJob, {
      asOf: point.asOf,
      overrides: poolOverrides,
      collect,
    });
    log(`match-scores: sampled the pools of ${run.processed} viewers as of ${iso(point.asOf)}`);
  }
  return sample;
}

const iso = (at: Date) => at.toISOString();

function aucOf(
  method: string,
  pairs: readonly SampledPair[],
  score: (p: SampledPair) => number,
): Measurement {
  const labels = pairs.map((p) => p.positive);
  return areaUnderCurve(method, "AUC", pairs.map(score), labels, "pool pairs");
}

function notesOf(fit: FittedWeights, train: PairSample, poolCap: number): string[] {
  const share = train.rate === 1 ? "all" : `1 in ${Math.round(1 / train.rate)}, weighted back`;
  const coefficients = Object.entries(fit.coefficients)
    .map(([name, c]) => `${name} ${c.toFixed(3)}`)
    .join(", ");
  return [
    `Fitted on the training points' pools (topK raised to poolCap ${poolCap}: every scored candidate, not only the top K): ${train.positives.length} (viewer, candidate) rows of pairs that matched and ${train.negatives.length} of the others (${share}).`,
    `Logistic regression (L2) of "matched within 7 days" on each factor as the combination counts it (confidence · value + (1 − confidence) · missing value): coefficients ${coefficients || "none"}${fit.converged ? "" : " (not converged)"}.`,
    ...(fit.dropped.length > 0
      ? [
          `Dropped for a negative coefficient (weights cannot be negative): ${fit.dropped.join(", ")}.`,
        ]
      : []),
    fit.weights
      ? `Weights = coefficients / their sum (the score is the weights' mean of the same values, so it ranks as the model does): ${FACTOR_NAMES.map((n) => `${n} ${fit.weights?.[n]}`).join(", ")}.`
      : train.positives.length === 0 || train.negatives.length === 0
        ? "Nothing to fit: no pair at the training points matched (or every one did); the weights in force are kept."
        : "No factor raised the odds of a match: the weights in force are kept.",
    "AUC measured over the pool pairs (negatives sampled), with the version's scores and with the combination re-weighted (hide penalties kept).",
  ];
}

export const matchScoresTuner: Tuner = {
  job: matchScoresJob.name,
  async tune(db, { train, test, overrides, log }) {
    const { version, config, scoring } = scoringOf(overrides);
    const first = await firstMatches(db, lastUntil([...train, ...test]));
    const trainSample = await samplePools(db, train, overrides, first, log);
    const fit = fitWeights(trainSample, scoring.missingFactorValue);
    const testSample = await samplePools(db, test, overrides, first, log);
    const after = fit.weights ?? scoring.weights;
    const measure = (sample: PairSample) => {
      const pairs = [...sample.positives, ...sample.negatives];
      return {
        before: aucOf(version, pairs, (p) => p.score),
        after: aucOf(`${version} fitted`, pairs, (p) => rescored(p, scoring, after)),
      };
    };
    const onTest = measure(testSample);
    const onTrain = measure(trainSample);
    return {
      before: onTest.before,
      after: onTest.after,
      trainBefore: onTrain.before,
      trainAfter: onTrain.after,
      settings: fit.weights ? weightSettings(version, fit.weights) : {},
      notes: notesOf(fit, trainSample, config.poolCap),
    };
  },
};
