import type { Database } from "@feed-jobs/db";
import { computeAsOf } from "@feed-jobs/jobs";
import { DEFAULT_COMPATIBILITY_PARAMS } from "@feed-jobs/scoring/compatibility";
import { compatibilityJob } from "../jobs/compatibility/job.ts";
import type { ScoredPair } from "../jobs/compatibility/score-pairs.ts";
import { messagedPairs, messageHistory, pairKey } from "./compatibility/queries.ts";
import { areaUnderCurve, proportion } from "./measurements.ts";
import type { EvalPoint, Evaluator, Measurement } from "./types.ts";

/**
 * compatibility's backtest. At each point T the job scores its pairs as of T; a pair's outcome
 * is whether the two exchanged at least one message, either way, in the next 7 days (a reply
 * is not required: starting to talk again is what a relationship score should foresee, and
 * "both directions" would drop every unanswered first message from the positives). Pairs are
 * unordered: the score is symmetric, so a pair scored from both sides counts once.
 *
 * - AUC of the score for that outcome over the scored pairs, pooled over the points, with a
 *   Hanley–McNeil interval.
 * - coverage: the share of the pairs that messaged in the window which had a score at all (a
 *   pair the job never scores cannot be ranked, however good its AUC).
 * - baselines on the same pairs: the time since their last message (a pair without one ranks
 *   last) and a message count decayed with a 7-day half-life, both from the messages of the
 *   job's lookback before T.
 */

const JOB = "compatibility";
const HORIZON_HOURS = 7 * 24;
/** A pair's recency and decayed counts are mostly made of its last few weeks. */
const HISTORY_DAYS = 30;
const BASELINE_HALF_LIFE_DAYS = 7;
const HOUR_MS = 3_600_000;
/** The lowest finite score: a pair that never wrote ranks below every real gap (−∞ − −∞ is NaN in a sort). */
const NEVER = -Number.MAX_VALUE;

/** Scores and outcomes of one method, pooled over the points. */
class PooledOutcomes {
  readonly scores: number[] = [];
  readonly labels: boolean[] = [];

  add(score: number, positive: boolean): void {
    this.scores.push(score);
    this.labels.push(positive);
  }

  aucMeasurement(method: string): Measurement {
    return areaUnderCurve(method, "AUC (messages in 7 d)", this.scores, this.labels, "pairs");
  }
}

/** The pairs the job scores as of `asOf` with the given overrides, one score per unordered pair. */
async function scoredPairs(
  db: Database,
  asOf: Date,
  overrides: Record<string, unknown>,
  log: (message: string) => void,
): Promise<{ version: string; scores: Map<string, number> }> {
  const scores = new Map<string, number>();
  const { version } = await computeAsOf(db, compatibilityJob, {
    asOf,
    overrides,
    log,
    collect: (rows) => {
      for (const row of rows as readonly ScoredPair[]) {
        scores.set(pairKey(row.viewerId, row.targetId), row.score);
      }
    },
  });
  return { version, scores };
}

const pointLabel = (point: EvalPoint) => point.asOf.toISOString();

/**
 * The pairs the last `evaluate` on a database scored at each point (by asOf ms): the baselines
 * score those same pairs, under the same overrides, without a third run of the job. Which pairs
 * are in scope does not depend on the version.
 */
const evaluatedScopes = new WeakMap<Database, Map<number, ReadonlySet<string>>>();

async function scopeAt(db: Database, point: EvalPoint, log: (message: string) => void) {
  const evaluated = evaluatedScopes.get(db)?.get(point.asOf.getTime());
  if (evaluated) return evaluated;
  // Not evaluated first: the job's default version and config.
  return new Set((await scoredPairs(db, point.asOf, {}, log)).scores.keys());
}

export const compatibilityEvaluator: Evaluator = {
  job: JOB,
  horizonHours: HORIZON_HOURS,
  historyDays: HISTORY_DAYS,

  async evaluate(db, { overrides, points, log }) {
    const pooled = new PooledOutcomes();
    let method = compatibilityJob.algorithmVersion;
    let messaged = 0;
    let covered = 0;
    const scopes = new Map<number, ReadonlySet<string>>();
    evaluatedScopes.set(db, scopes);
    for (const point of points) {
      const { version, scores } = await scoredPairs(db, point.asOf, overrides, log);
      const outcomes = await messagedPairs(db, point);
      scopes.set(point.asOf.getTime(), new Set(scores.keys()));
      method = version;
      for (const [key, score] of scores) pooled.add(score, outcomes.has(key));
      for (const key of outcomes) if (scores.has(key)) covered += 1;
      messaged += outcomes.size;
      log(`${version} as of ${pointLabel(point)}: ${scores.size} pairs, ${outcomes.size} messaged`);
    }
    return [
      pooled.aucMeasurement(method),
      proportion(method, "coverage", covered, messaged, "messaged pairs"),
    ];
  },

  async baselines(db, { points, log }) {
    const sinceLast = new PooledOutcomes();
    const decayed = new PooledOutcomes();
    for (const point of points) {
      const scope = await scopeAt(db, point, log);
      const outcomes = await messagedPairs(db, point);
      const history = await messageHistory(
        db,
        point.asOf,
        DEFAULT_COMPATIBILITY_PARAMS.lookbackDays,
        BASELINE_HALF_LIFE_DAYS,
      );
      for (const key of scope) {
        const pair = history.get(key);
        const positive = outcomes.has(key);
        const hours = pair ? (point.asOf.getTime() - pair.lastMs) / HOUR_MS : null;
        sinceLast.add(hours === null ? NEVER : -hours, positive);
        decayed.add(pair?.decayed ?? 0, positive);
      }
      log(`baselines as of ${pointLabel(point)}: ${scope.size} pairs`);
    }
    return [
      sinceLast.aucMeasurement("baseline: time since last message"),
      decayed.aucMeasurement("baseline: decayed message count"),
    ];
  },
};
