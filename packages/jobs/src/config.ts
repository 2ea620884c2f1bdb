import type { z } from "zod";

/** A config key/value a user asked to change for one run, or a bad one. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/**
 * Parses `key=value` pairs from `--set`. Values are JSON when they parse as JSON
 * (numbers, booleans, arrays, quoted strings), plain strings otherwise.
 */
export function parseOverrides(pairs: readonly string[]): Record<string, unknown> {
  const overrides: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new ConfigError(`--set expects key=value, got "${pair}"`);
    const key = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1).trim();
    overrides[key] = parseValue(raw);
  }
  return overrides;
}

function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Resolves a job's config: its defaults with `overrides` applied, validated by its schema. */
export function resolveConfig<Config>(
  jobName: string,
  schema: z.ZodType<Config>,
  overrides: Record<string, unknown>,
): Config {
  const result = schema.safeParse(overrides);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") {
      return `unknown config key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
    }
    const path = issue.path.join(".") || "(config)";
    return `"${path}": ${issue.message}`;
  });
  throw new ConfigError(`Invalid config for ${jobName}: ${problems.join("; ")}`);
}
