import type { AnyJob } from "./catalog.ts";

/** A job's config with every default applied (what `--set` can override). */
export function configDefaults(job: AnyJob): Record<string, unknown> {
  return job.config.parse({}) as Record<string, unknown>;
}
