import { affinityEvaluator } from "./affinity.ts";
import { matchScoresEvaluator } from "./match-scores.ts";
import { trendingEvaluator } from "./trending.ts";
import type { Evaluator } from "./types.ts";

/** The jobs `eval` can backtest, in the catalog's order. */
export const evaluators: readonly Evaluator[] = [
  matchScoresEvaluator,
  trendingEvaluator,
  affinityEvaluator,
];

export function findEvaluator(job: string): Evaluator | undefined {
  return evaluators.find((e) => e.job === job);
}
