import type { JobDefinition } from "@feed-jobs/jobs";

// biome-ignore lint/suspicious/noExplicitAny: each job has its own config type
export type AnyJob = JobDefinition<any>;

/** Every job, in the order `all` runs them: a job's inputs are computed before it runs. */
export const catalog: readonly AnyJob[] = [];

export function findJob(name: string): AnyJob | undefined {
  return catalog.find((job) => job.name === name);
}
