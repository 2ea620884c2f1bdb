import { spearman } from "@feed-jobs/scoring/metrics";
import { mean, proportion } from "../measurements.ts";
import type { Measurement } from "../types.ts";
import type { PostOutcome } from "./outcomes.ts";

/** What eval reads of one trending row: the score it ranks by, and the momentum signal. */
export interface ScoredPost {
  readonly popularity: number;
  readonly velocity: number;
}

/** One method's numbers at one point; pooled over the points into measurements. */
export interface PointResult {
  /** Posts the method scored (the Spearman's sample). */
  readonly scored: number;
  /** Spearman of the score against next-day engagement over the scored posts. */
  readonly scoredSpearman: number | null;
  /** Spearman of velocity against next-day engagement over the scored posts (versions only). */
  readonly velocitySpearman: number | null;
  /** Posts of the window, scored or not. */
  readonly windowPosts: number;
  /** Spearman over every post of the window, an unscored post counting as score 0. */
  readonly windowSpearman: number | null;
  /** Posts that got engagement after T, and how many of them had a score. */
  readonly engaged: number;
  readonly covered: number;
}

const correlate = (pairs: readonly (readonly [number, number])[]) =>
  spearman(
    pairs.map((p) => p[0]),
    pairs.map((p) => p[1]),
  );

/**
 * A method's numbers at one point: `scores` are its scores by post id (a version's rows, or a
 * baseline's), `outcomes` what happened (every post it could have scored). A scored post the
 * outcomes do not list got no engagement.
 */
export function measurePoint(
  scores: ReadonlyMap<string, ScoredPost>,
  outcomes: readonly PostOutcome[],
): PointResult {
  const engagement = new Map(outcomes.map((o) => [o.postId, o.engagement]));
  const scored = [...scores].map(([id, s]) => ({ s, label: engagement.get(id) ?? 0 }));
  const window = outcomes.filter((o) => o.inWindow);
  const engaged = outcomes.filter((o) => o.engagement > 0);
  return {
    scored: scored.length,
    scoredSpearman: correlate(scored.map(({ s, label }) => [s.popularity, label])),
    velocitySpearman: correlate(scored.map(({ s, label }) => [s.velocity, label])),
    windowPosts: window.length,
    windowSpearman: correlate(
      window.map((o) => [scores.get(o.postId)?.popularity ?? 0, o.engagement]),
    ),
    engaged: engaged.length,
    covered: engaged.filter((o) => scores.has(o.postId)).length,
  };
}

/**
 * Reddit's "hot" as of T: sign(s)·log10(max(|s|, 1)) + seconds / 45000 with s = ups − downs and
 * seconds the post's creation time (relative to T here: a shift of every post's score alike,
 * which no rank sees), so each 12.5 h of age weighs as much as a tenfold vote difference.
 */
export function redditHot(o: PostOutcome, asOf: Date): number {
  const s = o.ups - o.downs;
  return (
    Math.sign(s) * Math.log10(Math.max(Math.abs(s), 1)) +
    (o.createdAt.getTime() - asOf.getTime()) / 1000 / 45_000
  );
}

/** Reddit hot of every window post (velocity is not part of it: 0), or of those in `only`. */
export function redditHotScores(
  outcomes: readonly PostOutcome[],
  asOf: Date,
  only?: ReadonlySet<string>,
): Map<string, ScoredPost> {
  return new Map(
    outcomes
      .filter((o) => o.inWindow && (only === undefined || only.has(o.postId)))
      .map((o) => [o.postId, { popularity: redditHot(o, asOf), velocity: 0 }]),
  );
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** A Spearman of each point, as their mean with a Student-t 95 % interval over the points. */
export function meanSpearman(
  method: string,
  metric: string,
  values: readonly (number | null)[],
  posts: number,
): Measurement {
  const defined = values.filter((v): v is number => v !== null);
  const unit = `posts (mean of ${defined.length} points)`;
  // n: the posts behind the points' Spearmans, not the points.
  return { ...mean(method, metric, defined, unit, [-1, 1]), n: posts };
}

/** The share of the posts that got engagement which had a score, pooled, with a Wilson interval. */
export function coverage(method: string, results: readonly PointResult[]): Measurement {
  const engaged = sum(results.map((r) => r.engaged));
  const covered = sum(results.map((r) => r.covered));
  return proportion(method, "coverage", covered, engaged, "posts that got engagement");
}

export const METRICS = {
  scored: "Spearman (24 h), scored posts",
  velocity: "Spearman of velocity (24 h), scored posts",
  window: "Spearman (24 h), window posts",
};

/** A version's measurements, pooled over its points. */
export function versionMeasurements(
  version: string,
  results: readonly PointResult[],
): Measurement[] {
  const scored = sum(results.map((r) => r.scored));
  return [
    meanSpearman(
      version,
      METRICS.scored,
      results.map((r) => r.scoredSpearman),
      scored,
    ),
    coverage(version, results),
    meanSpearman(
      version,
      METRICS.window,
      results.map((r) => r.windowSpearman),
      sum(results.map((r) => r.windowPosts)),
    ),
    meanSpearman(
      version,
      METRICS.velocity,
      results.map((r) => r.velocitySpearman),
      scored,
    ),
  ];
}
