import type { Database } from "@feed-jobs/db";
import { computeAsOf } from "@feed-jobs/jobs";
import { matchScoresJob } from "../jobs/matchScores/job.ts";
import {
  emptyTally,
  type ListedTally,
  type PairScorer,
  PRECISION_AT,
  tallyPoint,
} from "./match-scores/listed.ts";
import { firstMatches, lastUntil } from "./match-scores/outcomes.ts";
import { areaUnderCurve, mean, proportion } from "./measurements.ts";
import type { EvalPoint, Evaluator, Measurement } from "./types.ts";

/**
 * match-scores judged by what the listed pairs did next: a listed (viewer, candidate) pair is
 * positive when the two liked each other's profiles both ways or started a conversation within
 * a week after the point (see ./match-scores/outcomes.ts); pairs that had already done so are
 * not predictions and are left out. Metrics, pooled over the points:
 * - AUC of the score among the listed pairs;
 * - precision@10: hits among the first min(10, length) of each list, averaged over lists;
 * - positives listed: the share of the pairs of eligible users who matched in a window that
 *   someone's list held (the lists' recall: a pair the lists never show cannot be ranked well).
 * Baseline: the age gap (closer ages first) on the same listed pairs, lists re-ranked by it.
 */

const HORIZON_HOURS = 7 * 24;
/** The job's longest window before a point: activity within 30 days makes a user a viewer. */
const HISTORY_DAYS = 30;
const DAY_MS = 86_400_000;

/** Replays the job at each point and tallies its lists, scored by `scorer`. */
async function tallyLists(
  db: Database,
  points: readonly EvalPoint[],
  overrides: Record<string, unknown>,
  scorer: PairScorer,
  log: (message: string) => void,
): Promise<{ version: string; tally: ListedTally }> {
  const first = await firstMatches(db, lastUntil(points));
  const tally = emptyTally();
  let version = matchScoresJob.algorithmVersion;
  for (const point of points) {
    const { collect, end } = tallyPoint(tally, first, point, scorer);
    const run = await computeAsOf(db, matchScoresJob, { asOf: point.asOf, overrides, collect });
    end();
    version = run.version;
    log(`match-scores ${version} as of ${point.asOf.toISOString()}: ${run.processed} viewers`);
  }
  return { version, tally };
}

const aucOf = (method: string, tally: ListedTally): Measurement =>
  areaUnderCurve(method, "AUC", tally.scores, tally.labels, "listed pairs");

const precisionOf = (method: string, tally: ListedTally): Measurement =>
  mean(method, `precision@${PRECISION_AT}`, tally.precisions, "lists");

const positivesListedOf = (method: string, tally: ListedTally): Measurement =>
  proportion(method, "positives listed", tally.positivesListed, tally.positives, "matched pairs");

/** Birth dates by user id (ms since the epoch): the age gap needs nothing else. */
async function birthDates(db: Database): Promise<Map<string, number>> {
  const rows = await db.prisma.$queryRaw<{ id: string; birth_date: Date }[]>`
    SELECT id, birth_date FROM users WHERE birth_date IS NOT NULL`;
  return new Map(rows.map((r) => [r.id, r.birth_date.getTime()]));
}

export const matchScoresEvaluator: Evaluator = {
  job: matchScoresJob.name,
  horizonHours: HORIZON_HOURS,
  historyDays: HISTORY_DAYS,
  async evaluate(db, { overrides, points, log }) {
    const { version, tally } = await tallyLists(db, points, overrides, (_, c) => c.score, log);
    return [aucOf(version, tally), precisionOf(version, tally), positivesListedOf(version, tally)];
  },
  async baselines(db, { points, log }) {
    const born = await birthDates(db);
    // Every listed user has a birth date (the job scores nobody without one).
    const ageGap: PairScorer = (viewerId, c) =>
      -Math.abs((born.get(viewerId) ?? 0) - (born.get(c.id) ?? 0)) / DAY_MS;
    const { tally } = await tallyLists(db, points, {}, ageGap, log);
    const method = "baseline: age gap";
    return [aucOf(method, tally), precisionOf(method, tally)];
  },
};
