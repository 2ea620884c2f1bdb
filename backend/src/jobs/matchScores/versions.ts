import { type MatchScoringConfig, matchV3Scoring } from "@feed-jobs/scoring/match";
import { type MatchScoresConfig, scoringConfig } from "./config.ts";

export const MATCH_V2 = "match-v2";
export const MATCH_V3 = "match-v3";

/** The versions match-scores can run (`--algorithm`), match-v2 the default. */
export const MATCH_ALGORITHMS = {
  [MATCH_V2]:
    "quiz, interests, proximity, age fit relative to the stated range with goal, soft preferences; a missing input counts missingFactorValue; large pools narrowed to the nearest quizzes",
  [MATCH_V3]:
    "match-v2's factors with age fit in years, the goal by its evidence, a missing input below any real value, and narrowing that keeps candidates without a quiz in their share (config group v3)",
};

/**
 * How a pool over `poolCap` is narrowed: to the nearest quizzes first (match-v2), or stratified,
 * candidates without a comparable quiz keeping their share of the pool (match-v3).
 */
export type Narrowing = "quiz" | "stratified";

export interface MatchAlgorithm {
  readonly scoring: MatchScoringConfig;
  readonly narrowing: Narrowing;
}

/** What a run of `version` scores and narrows with. */
export function matchAlgorithm(version: string, config: MatchScoresConfig): MatchAlgorithm {
  const shared = scoringConfig(config);
  return version === MATCH_V3
    ? { scoring: matchV3Scoring(shared, config.v3), narrowing: "stratified" }
    : { scoring: shared, narrowing: "quiz" };
}
