import type { Database } from "@feed-jobs/db";
import { type JobDefinition, type JobOptions, type RunSummary, runJob } from "@feed-jobs/jobs";

/** Runs a job the way the CLI would, with a fixed clock, and fails the test if the run failed. */
export async function runForTest<Config extends Record<string, unknown>>(
  db: Database,
  job: JobDefinition<Config>,
  now: Date,
  options: JobOptions = {},
  overrides: Record<string, unknown> = {},
): Promise<RunSummary> {
  const summary = await runJob(db, job, { asOf: now, options, overrides });
  if (summary.status !== "SUCCESS") {
    throw new Error(`${job.name} ended ${summary.status}: ${summary.error}`);
  }
  return summary;
}
