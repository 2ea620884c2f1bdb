import type { Database } from "@feed-jobs/db";

/**
 * One as-of point of a backtest: the job's output is computed as of `asOf` (inputs after it
 * ignored) and scored against what happened in (`asOf`, `until`].
 */
export interface EvalPoint {
  readonly asOf: Date;
  readonly until: Date;
}

/** One number of an eval table: a metric of one method (a version or a baseline), pooled over the points. */
export interface Measurement {
  /** An algorithm version (`match-v2`) or a baseline (`baseline: age gap`). */
  readonly method: string;
  /** e.g. "AUC", "precision@10", "Spearman (24 h)", "coverage", "recall@10 topics". */
  readonly metric: string;
  /** null when nothing could be measured (e.g. no positive outcome at any point). */
  readonly value: number | null;
  /** 95 % confidence interval, where the sample is small enough to need one. */
  readonly ci?: readonly [number, number] | null;
  /** The sample behind the value (pairs, posts, users or points: see `unit`). */
  readonly n: number;
  readonly unit: string;
}

/** What one evaluation of a version needs. */
export interface EvalRequest {
  /** Config overrides, `algorithm` included (chooses the version). */
  readonly overrides: Record<string, unknown>;
  readonly points: readonly EvalPoint[];
  readonly log: (message: string) => void;
}

/** A job's backtest: its metrics for a version, and the baselines on the same points. */
export interface Evaluator {
  /** The job's name (`match-scores`). */
  readonly job: string;
  /** Outcome window after each point, hours (e.g. 24 for trending, 168 for compatibility). */
  readonly horizonHours: number;
  /** History a point needs before it, days (e.g. the longest lookback that matters). */
  readonly historyDays: number;
  /**
   * The version's metrics pooled over the points. `method` of each measurement: the version
   * (the caller passes `algorithm` in `overrides`; the default version without it).
   */
  evaluate(db: Database, request: EvalRequest): Promise<Measurement[]>;
  /** The baselines, measured on the same points and outcomes. */
  baselines(db: Database, request: Omit<EvalRequest, "overrides">): Promise<Measurement[]>;
}
