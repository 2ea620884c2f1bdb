import { auc, aucInterval, meanInterval, wilsonInterval } from "@feed-jobs/scoring/metrics";
import type { Measurement } from "./types.ts";

/**
 * The measurement shapes every evaluator reports, each with its 95 % interval, so that the same
 * kind of number is built (and its empty case handled) the same way in every job's table.
 */

/** `successes` out of `n` with a Wilson interval; no value and no interval when `n` is 0. */
export function proportion(
  method: string,
  metric: string,
  successes: number,
  n: number,
  unit: string,
): Measurement {
  const measured = n > 0;
  return {
    method,
    metric,
    value: measured ? successes / n : null,
    ci: measured ? wilsonInterval(successes, n) : null,
    n,
    unit,
  };
}

/** The mean of `values` with a Student-t interval clipped to `range` (the values' possible span). */
export function mean(
  method: string,
  metric: string,
  values: readonly number[],
  unit: string,
  range?: readonly [number, number],
): Measurement {
  const { mean: value, ci } = meanInterval(values, range);
  return { method, metric, value, ci, n: values.length, unit };
}

/** The AUC of `scores` for `labels` (Mann–Whitney) with a Hanley–McNeil interval. */
export function areaUnderCurve(
  method: string,
  metric: string,
  scores: readonly number[],
  labels: readonly boolean[],
  unit: string,
): Measurement {
  const value = auc(scores, labels);
  const positives = labels.reduce((count, label) => count + (label ? 1 : 0), 0);
  const negatives = labels.length - positives;
  const ci = value === null ? null : aucInterval(value, positives, negatives);
  return { method, metric, value, ci, n: labels.length, unit };
}
