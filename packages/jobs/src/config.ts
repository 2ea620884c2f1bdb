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
 * (numbers, booleans, arrays, objects, quoted strings), plain strings otherwise. A dotted key
 * (`weights.trajectory=0`) sets a key of a nested group: `{ weights: { trajectory: 0 } }`.
 */
export function parseOverrides(pairs: readonly string[]): Record<string, unknown> {
  const overrides: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new ConfigError(`--set expects key=value, got "${pair}"`);
    const key = pair.slice(0, eq).trim();
    const path = key.split(".");
    if (path.some((part) => part === "")) {
      throw new ConfigError(`--set key "${key}" has an empty part (expected a.b.c)`);
    }
    setPath(overrides, path, parseValue(pair.slice(eq + 1).trim()));
  }
  return overrides;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let group = target;
  for (const [depth, part] of path.slice(0, -1).entries()) {
    const next = group[part] ?? {};
    if (!isGroup(next)) {
      const prefix = path.slice(0, depth + 1).join(".");
      throw new ConfigError(`--set ${path.join(".")}: "${prefix}" was already set to a value`);
    }
    group[part] = next;
    group = next;
  }
  const last = path[path.length - 1] as string;
  group[last] = isGroup(group[last]) && isGroup(value) ? deepMerge(group[last], value) : value;
}

function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * Resolves a job's config: its defaults with `overrides` merged in deeply (setting one key of a
 * group keeps the group's other keys at their defaults), validated by its schema. Errors name
 * each key by its dotted path.
 */
export function resolveConfig<Config>(
  jobName: string,
  schema: z.ZodType<Config>,
  overrides: Record<string, unknown>,
): Config {
  const defaults = schema.safeParse({});
  const merged =
    defaults.success && isGroup(defaults.data) ? deepMerge(defaults.data, overrides) : overrides;
  const result = schema.safeParse(merged);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") {
      const keys = issue.keys.map((k) => `"${[...issue.path, k].join(".")}"`);
      return `unknown config key${keys.length > 1 ? "s" : ""} ${keys.join(", ")}`;
    }
    const path = issue.path.join(".") || "(config)";
    return `"${path}": ${issue.message}`;
  });
  throw new ConfigError(`Invalid config for ${jobName}: ${problems.join("; ")}`);
}

/**
 * A config as `[dotted key, value]` pairs, nested groups flattened (`weights.trajectory`): the
 * keys `--set` takes.
 */
export function configEntries(config: Record<string, unknown>, prefix = ""): [string, unknown][] {
  return Object.entries(config).flatMap(([key, value]): [string, unknown][] =>
    isGroup(value) ? configEntries(value, `${prefix}${key}.`) : [[`${prefix}${key}`, value]],
  );
}

type Group = Record<string, unknown>;

export function isGroup(value: unknown): value is Group {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `base` with `changes` applied; groups present in both are merged key by key. */
export function deepMerge(base: Group, changes: Group): Group {
  const merged: Group = { ...base };
  for (const [key, value] of Object.entries(changes)) {
    const current = merged[key];
    merged[key] = isGroup(current) && isGroup(value) ? deepMerge(current, value) : value;
  }
  return merged;
}
