import { affinityEvaluator } from "./affinity.ts";
import { compatibilityEvaluator } from "./compatibility.ts";
import { contentFeaturesEvaluator } from "./content-features.ts";
import { matchScoresEvaluator } from "./match-scores.ts";
import { trendingEvaluator } from "./trending.ts";
import type { Evaluator } from "./types.ts";

/** The jobs `eval` can backtest, in the catalog's order. */
export const evaluators: readonly Evaluator[] = [
  contentFeaturesEvaluator,
  matchScoresEvaluator,
  compatibilityEvaluator,
  trendingEvaluator,
  affinityEvaluator,
];

export function findEvaluator(job: string): Evaluator | undefined {
  return evaluators.find((e) => e.job === job);
}
