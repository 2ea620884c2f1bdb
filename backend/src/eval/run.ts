import type { Database } from "@feed-jobs/db";
import type { EvalPoint, Evaluator, Measurement } from "./types.ts";

/** One backtest: each version's metrics and the baselines, on the same points. */
export interface EvalReport {
  readonly job: string;
  readonly horizonHours: number;
  readonly points: readonly EvalPoint[];
  readonly versions: readonly string[];
  readonly measurements: readonly Measurement[];
  readonly durationMs: number;
}

export interface EvalPlan {
  readonly versions: readonly string[];
  /** Overrides in force for every version (stored settings and --set), without `algorithm`. */
  readonly overrides: Record<string, unknown>;
  readonly points: readonly EvalPoint[];
  readonly log: (message: string) => void;
}

/** Evaluates each version in turn, then the baselines; nothing is written. */
export async function runEval(
  db: Database,
  evaluator: Evaluator,
  plan: EvalPlan,
): Promise<EvalReport> {
  const started = Date.now();
  const measurements: Measurement[] = [];
  for (const version of plan.versions) {
    plan.log(`${evaluator.job}: evaluating ${version} at ${plan.points.length} point(s)`);
    const overrides = { ...plan.overrides, algorithm: version };
    measurements.push(...(await evaluator.evaluate(db, { ...plan, overrides })));
  }
  plan.log(`${evaluator.job}: measuring the baselines`);
  measurements.push(...(await evaluator.baselines(db, { points: plan.points, log: plan.log })));
  return {
    job: evaluator.job,
    horizonHours: evaluator.horizonHours,
    points: plan.points,
    versions: plan.versions,
    measurements,
    durationMs: Date.now() - started,
  };
}
