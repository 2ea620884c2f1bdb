import { randomUUID } from "node:crypto";
import type { Database } from "@feed-jobs/db";
import { resolveRun } from "./algorithms.ts";
import { ConfigError, deepMerge, isGroup } from "./config.ts";
import type { JobDefinition } from "./definition.ts";

/**
 * Stored job settings: config overrides (nested like the job's config, `algorithm` included)
 * that every run of a job reads under its own `--set`. Append-only in job_settings: a job's
 * highest version is in force, and a reset is a new version with `{}`.
 */
export interface StoredSettings {
  version: number;
  settings: Record<string, unknown>;
  note: string | null;
  actor: string | null;
  createdAt: Date;
}

/** Who wrote a version and why, stored beside it. */
export interface SettingsAuthor {
  note?: string;
  /** "tune", "cli", a host… */
  actor?: string;
  /** When it was written. Default: the wall clock. */
  now?: Date;
}

/** A run's overrides: the stored settings with the run's own laid over them, key by key. */
export interface EffectiveOverrides {
  overrides: Record<string, unknown>;
  /** The stored version they include; null when the job has none. */
  settingsVersion: number | null;
}

type SettingsJob = Pick<JobDefinition, "name" | "algorithmVersion" | "algorithms" | "config">;

/** The settings in force for `jobName` (its highest version), or null when none were stored. */
export async function readSettings(db: Database, jobName: string): Promise<StoredSettings | null> {
  const [latest] = await settingsHistory(db, jobName, 1);
  return latest ?? null;
}

/** The stored versions of `jobName`, newest first, at most `limit`. */
export async function settingsHistory(
  db: Database,
  jobName: string,
  limit: number,
): Promise<StoredSettings[]> {
  const rows = await db.prisma.jobSettings.findMany({
    where: { jobName },
    orderBy: { version: "desc" },
    take: limit,
  });
  return rows.map(({ version, settings, note, actor, createdAt }) => ({
    version,
    settings: isGroup(settings) ? settings : {},
    note,
    actor,
    createdAt,
  }));
}

/** Throws a {@link ConfigError} naming the key when `settings` would not make a valid run. */
export function validateSettings(job: SettingsJob, settings: unknown): void {
  if (!isGroup(settings)) {
    throw new ConfigError(`Settings for ${job.name} must be an object of config keys`);
  }
  resolveRun(job, settings);
}

/** A writer that lost the race for a version number tries again with the next one. */
const WRITE_ATTEMPTS = 20;

/**
 * Stores `settings` as the next version of `job`'s settings and returns its number. Validated
 * first: invalid settings are refused (a {@link ConfigError} naming the key), never stored.
 * The version is the job's highest plus one; two concurrent writers cannot both take it (the
 * unique key refuses the second, which retries with the next).
 */
export async function writeSettings(
  db: Database,
  job: SettingsJob,
  settings: Record<string, unknown>,
  { note, actor, now = new Date() }: SettingsAuthor = {},
): Promise<number> {
  validateSettings(job, settings);
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
    const [written] = await db.prisma.$queryRaw<{ version: number }[]>`
      INSERT INTO job_settings (id, job_name, version, settings, note, actor, created_at)
      SELECT ${randomUUID()}, ${job.name}, coalesce(max(version), 0) + 1,
             ${JSON.stringify(settings)}::jsonb, ${note ?? null}, ${actor ?? null}, ${now}::timestamp(3)
      FROM job_settings WHERE job_name = ${job.name}
      ON CONFLICT (job_name, version) DO NOTHING
      RETURNING version`;
    if (written) return written.version;
  }
  throw new Error(
    `${job.name}: could not store settings: ${WRITE_ATTEMPTS} concurrent writers took every version number tried`,
  );
}

/**
 * `overrides` laid over `stored` settings, key by key in nested groups (`--set` wins). Stored
 * settings that no longer validate (a key an upgrade removed) are refused, naming the version.
 */
export function layerSettings(
  job: SettingsJob,
  stored: StoredSettings | null,
  overrides: Record<string, unknown>,
): EffectiveOverrides {
  if (!stored) return { overrides, settingsVersion: null };
  try {
    validateSettings(job, stored.settings);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(
      `${job.name}'s stored settings version ${stored.version} no longer validate (${error.message}); change them with \`pnpm job settings ${job.name} --unset <key>\` or \`--reset\``,
    );
  }
  return { overrides: deepMerge(stored.settings, overrides), settingsVersion: stored.version };
}

/**
 * The overrides a run of `job` with `overrides` uses: its stored settings under them, layered
 * as runJob layers them. eval and tune call it to replay what the scheduler would run.
 */
export async function effectiveOverrides(
  db: Database,
  job: SettingsJob,
  overrides: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  return layerSettings(job, await readSettings(db, job.name), overrides).overrides;
}

/**
 * New settings from `current`: the dotted `unset` keys removed (a group left empty goes too),
 * then `set` laid over them. Unsetting a key that is not there is refused (a typo).
 */
export function changeSettings(
  current: Record<string, unknown>,
  { set = {}, unset = [] }: { set?: Record<string, unknown>; unset?: readonly string[] },
): Record<string, unknown> {
  let next = current;
  for (const key of unset) {
    const without = withoutKey(next, key.split("."));
    if (!without) throw new ConfigError(`--unset ${key}: not in the stored settings`);
    next = without;
  }
  return deepMerge(next, set);
}

/** `group` without the key at `path`, or null when there is none. */
function withoutKey(
  group: Record<string, unknown>,
  path: readonly string[],
): Record<string, unknown> | null {
  const [head, ...rest] = path;
  if (head === undefined || !(head in group)) return null;
  const { [head]: value, ...others } = group;
  if (rest.length === 0) return others;
  if (!isGroup(value)) return null;
  const inner = withoutKey(value, rest);
  if (!inner) return null;
  return Object.keys(inner).length > 0 ? { ...others, [head]: inner } : others;
}
