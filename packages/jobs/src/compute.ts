import type { Database } from "@feed-jobs/db";
import { resolveRun } from "./algorithms.ts";
import { Counters } from "./counters.ts";
import type { JobContext, JobDefinition } from "./definition.ts";
import { distribute } from "./shards/distribute.ts";

/** What `computeAsOf` computes: one full dry run of a job as of a past time. */
export interface ComputeRequest {
  /** The run's clock: inputs after it are ignored, as with `--as-of`. */
  readonly asOf: Date;
  /**
   * Config overrides, `algorithm` included (the job's default version without it). The job's
   * stored settings are not read here: pass `effectiveOverrides(db, job, …)` to
   * compute what a scheduled run would.
   */
  readonly overrides?: Record<string, unknown>;
  /** Receives the rows the run would have written, batch by batch (see `JobContext.collect`). */
  readonly collect: (rows: readonly unknown[]) => void;
  readonly log?: (message: string) => void;
}

/**
 * Computes a job's full output as of `asOf` without writing anything: a dry run in full mode,
 * with no JobRun row and no lock (a dry run writes no table, so it cannot disturb a real run),
 * whose rows go to `collect`. This is how `eval` and `tune` replay history. Failed items are
 * counted in the returned `failed`, not thrown.
 */
export async function computeAsOf<Config extends Record<string, unknown>>(
  db: Database,
  job: JobDefinition<Config>,
  request: ComputeRequest,
): Promise<{ version: string; config: Config; processed: number; failed: number }> {
  const { version, config } = resolveRun(job, request.overrides ?? {});
  const counters = new Counters();
  const ctx: JobContext<Config> = {
    db,
    now: request.asOf,
    config,
    options: { mode: "full", dryRun: true },
    algorithmVersion: version,
    log: request.log ?? (() => undefined),
    ...counters.methods(),
    // Lets timers and signals have a turn between batches, as a real run's checkpoint does.
    checkpoint: () => new Promise((resolve) => setImmediate(resolve)),
    collect: request.collect,
    // A dry run's shards run here, one after another, their rows going to `collect`.
    distribute: (specs) => distribute({ job, ctx, counters }, specs),
  };
  await job.run(ctx);
  return { version, config, processed: counters.done, failed: counters.failed };
}
