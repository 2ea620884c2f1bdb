import { configEntries } from "@feed-jobs/jobs";
import type { AnyJob } from "./catalog.ts";

/** A job's config with every default applied (what `--set` can override). */
export function configDefaults(job: AnyJob): Record<string, unknown> {
  return job.config.parse({}) as Record<string, unknown>;
}

/** Every key `--set` takes, nested ones dotted (`weights.trajectory`), with its default. */
export function configKeys(job: AnyJob): [string, unknown][] {
  return configEntries(configDefaults(job));
}
