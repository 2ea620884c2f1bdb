/**
 * Evaluation metrics, pure: no I/O. Used by the eval and tune commands to score a job's
 * output against what happened next, with 95 % intervals.
 *
 * - Ranking quality: auc (Mann–Whitney, ties ½) with aucInterval (Hanley & McNeil 1982);
 *   precisionAtK and recallAtK for top-k lists.
 * - Agreement of two orderings: spearman over averageRanks (ties averaged).
 * - Intervals: meanInterval (Student-t), wilsonInterval (Wilson score, for proportions).
 * - logisticRegression (Newton/IRLS, L2 on the coefficients) to learn weights from outcomes.
 */
export { auc, aucInterval } from "./auc.ts";
export { meanInterval, wilsonInterval } from "./intervals.ts";
export {
  type LogisticModel,
  type LogisticRegressionOptions,
  logisticRegression,
  sigmoid,
} from "./logistic.ts";
export { averageRanks, spearman } from "./ranks.ts";
export { precisionAtK, recallAtK } from "./retrieval.ts";
