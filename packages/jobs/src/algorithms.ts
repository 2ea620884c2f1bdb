import { ConfigError, resolveConfig } from "./config.ts";
import type { JobDefinition } from "./definition.ts";

/** The config key that chooses a run's algorithm version (`--set algorithm=…`). */
export const ALGORITHM_KEY = "algorithm";

type AnyDefinition = Pick<JobDefinition, "name" | "algorithmVersion" | "algorithms">;

/** The versions a job can run, its default (`algorithmVersion`) first. */
export function algorithmVersions(job: AnyDefinition): string[] {
  const others = Object.keys(job.algorithms ?? {}).filter((v) => v !== job.algorithmVersion);
  return [job.algorithmVersion, ...others];
}

/**
 * Takes the `algorithm` key out of a run's overrides (the job's own schema never sees it) and
 * returns the version it names, or the job's default when it names none.
 */
export function chooseAlgorithm(
  job: AnyDefinition,
  overrides: Record<string, unknown>,
): { version: string; jobOverrides: Record<string, unknown> } {
  const { [ALGORITHM_KEY]: chosen, ...jobOverrides } = overrides;
  if (chosen === undefined) return { version: job.algorithmVersion, jobOverrides };
  const versions = algorithmVersions(job);
  if (typeof chosen !== "string" || !versions.includes(chosen)) {
    throw new ConfigError(
      `Invalid config for ${job.name}: "${ALGORITHM_KEY}" is ${JSON.stringify(chosen)}; ${job.name} has versions ${versions.join(", ")}`,
    );
  }
  return { version: chosen, jobOverrides };
}

/**
 * What a run with `overrides` runs: the version their `algorithm` chooses and the job's config
 * with the rest merged into its defaults, validated (a {@link ConfigError} names a bad key).
 */
export function resolveRun<Config>(
  job: AnyDefinition & Pick<JobDefinition<Config & Record<string, unknown>>, "config">,
  overrides: Record<string, unknown>,
): { version: string; config: Config } {
  const { version, jobOverrides } = chooseAlgorithm(job, overrides);
  return { version, config: resolveConfig(job.name, job.config, jobOverrides) as Config };
}
