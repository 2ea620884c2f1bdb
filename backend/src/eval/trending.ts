import type { Database } from "@feed-jobs/db";
import { algorithmVersions, chooseAlgorithm } from "@feed-jobs/jobs";
import { trendingConfig } from "../jobs/trending/config.ts";
import { trendingJob } from "../jobs/trending/job.ts";
import {
  coverage,
  METRICS,
  meanSpearman,
  measurePoint,
  type PointResult,
  redditHotScores,
  versionMeasurements,
} from "./trending/measure.ts";
import { type PostOutcome, readOutcomes } from "./trending/outcomes.ts";
import { scoresAsOf } from "./trending/scores.ts";
import type { EvalPoint, Evaluator, Measurement } from "./types.ts";

/** Next-day engagement: the outcome trending should rank by (the guide's horizon). */
const HORIZON_HOURS = 24;
/**
 * The population and the label are the same for every version and setting: the default window
 * (48 h) and the default popularity weights of likes, comments and shares (1, 2, 3).
 */
const DEFAULTS = trendingConfig.parse({});
const WEIGHTS = {
  like: DEFAULTS.likeWeight,
  comment: DEFAULTS.commentWeight,
  share: DEFAULTS.shareWeight,
};
const REDDIT_HOT = "baseline: Reddit hot";

/** What happened around `point`: every post the job could score at T, with its next-day engagement. */
export const outcomesAt = (db: Database, point: EvalPoint): Promise<PostOutcome[]> =>
  readOutcomes(db, point, DEFAULTS.windowHours, WEIGHTS);

/**
 * trending's backtest. At each point T the job's rows as of T (a dry run) are ranked against
 * each post's weighted likes (1), comments (2) and shares (3) by others in (T, T + 24 h]:
 * Spearman over the scored posts and over every post of the 48 h window (unscored = 0), coverage
 * (the share of the posts that got such engagement which had a score), and the Spearman of
 * velocity. Baseline: Reddit hot over every window post.
 */
export const trendingEvaluator: Evaluator = {
  job: trendingJob.name,
  horizonHours: HORIZON_HOURS,
  historyDays: Math.ceil(DEFAULTS.windowHours / 24),
  async evaluate(db, { overrides, points, log }) {
    const { version } = chooseAlgorithm(trendingJob, overrides);
    const results: PointResult[] = [];
    for (const point of points) {
      const scores = await scoresAsOf(db, point, overrides, log);
      results.push(measurePoint(scores, await outcomesAt(db, point)));
    }
    return versionMeasurements(version, results);
  },
  async baselines(db, { points, log }) {
    const versions = algorithmVersions(trendingJob);
    const all: PointResult[] = [];
    const onVersionPosts = new Map(versions.map((v) => [v, [] as PointResult[]]));
    for (const point of points) {
      const outcomes = await outcomesAt(db, point);
      all.push(measurePoint(redditHotScores(outcomes, point.asOf), outcomes));
      for (const version of versions) {
        const scored = await scoresAsOf(db, point, { algorithm: version }, log);
        const hot = redditHotScores(outcomes, point.asOf, new Set(scored.keys()));
        onVersionPosts.get(version)?.push(measurePoint(hot, outcomes));
      }
    }
    return hotMeasurements(all, onVersionPosts);
  },
};

const total = (results: readonly PointResult[], key: "scored" | "windowPosts") =>
  results.reduce((sum, r) => sum + r[key], 0);

/** Reddit hot over every window post, and on each version's scored posts (at its defaults). */
function hotMeasurements(
  all: readonly PointResult[],
  onVersionPosts: ReadonlyMap<string, readonly PointResult[]>,
): Measurement[] {
  const spearmans = (results: readonly PointResult[]) => results.map((r) => r.scoredSpearman);
  const overWindow = all.map((r) => r.windowSpearman);
  return [
    meanSpearman(REDDIT_HOT, METRICS.window, overWindow, total(all, "windowPosts")),
    coverage(REDDIT_HOT, all),
    ...[...onVersionPosts].map(([version, results]) =>
      meanSpearman(
        REDDIT_HOT,
        `Spearman (24 h), ${version}'s posts`,
        spearmans(results),
        total(results, "scored"),
      ),
    ),
  ];
}
