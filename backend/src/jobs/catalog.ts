import type { JobDefinition } from "@feed-jobs/jobs";
import { affinityJob } from "./affinity/job.ts";
import { cleanupJob } from "./cleanup/job.ts";
import { compatibilityJob } from "./compatibility/job.ts";
import { contentFeaturesJob } from "./contentFeatures/job.ts";
import { matchScoresJob } from "./matchScores/job.ts";
import { trendingJob } from "./trending/job.ts";
import { viewerStateJob } from "./viewerState/job.ts";

// biome-ignore lint/suspicious/noExplicitAny: each job has its own config type
export type AnyJob = JobDefinition<any>;

/** Every job, in the order `all` runs them: a job's inputs are computed before it runs. */
export const catalog: readonly AnyJob[] = [
  contentFeaturesJob,
  matchScoresJob,
  compatibilityJob,
  trendingJob,
  affinityJob,
  viewerStateJob,
  cleanupJob,
];

export function findJob(name: string): AnyJob | undefined {
  return catalog.find((job) => job.name === name);
}
