import type { Database } from "@feed-jobs/db";
import type { EvalPoint, Measurement } from "../eval/types.ts";

export interface TuneRequest {
  /** Points whose outcomes the settings are fitted on. */
  readonly train: readonly EvalPoint[];
  /** Held-out points the metric is reported on, before and after. */
  readonly test: readonly EvalPoint[];
  /** The overrides in force (stored settings and --set, `algorithm` included): the "before". */
  readonly overrides: Record<string, unknown>;
  readonly log: (message: string) => void;
}

export interface TuneResult {
  /** The held-out metric with the settings in force, and with the fitted ones. */
  readonly before: Measurement;
  readonly after: Measurement;
  /** The same metric on the training points (before, after), to show over-fitting. */
  readonly trainBefore: Measurement;
  readonly trainAfter: Measurement;
  /** Config overrides to adopt (nested like the config, e.g. `{ weights: { quiz: 0.4 } }`). */
  readonly settings: Record<string, unknown>;
  /** Lines worth printing: what was fitted and how (e.g. coefficients, the grid searched). */
  readonly notes: readonly string[];
}

/** Fits a job's weights and constants on a training period. */
export interface Tuner {
  readonly job: string;
  tune(db: Database, request: TuneRequest): Promise<TuneResult>;
}
