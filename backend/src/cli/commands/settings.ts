import { hostname } from "node:os";
import type { Database } from "@feed-jobs/db";
import {
  ALGORITHM_KEY,
  ConfigError,
  changeSettings,
  configEntries,
  layerSettings,
  parseOverrides,
  readSettings,
  resolveRun,
  type StoredSettings,
  settingsHistory,
  writeSettings,
} from "@feed-jobs/jobs";
import type { Command } from "commander";
import { type AnyJob, catalog, findJob } from "../../jobs/catalog.ts";
import { configDefaults } from "../../jobs/config-keys.ts";
import { withDatabase } from "../database.ts";
import { type Cli, type CliIO, ExitCode, table, UsageError } from "../io.ts";
import { collect, positiveInt } from "../parse.ts";

interface SettingsFlags {
  set: string[];
  unset: string[];
  reset?: boolean;
  history?: boolean;
  limit: number;
  note?: string;
  json?: boolean;
}

/** `settings <job>`: show, change or list a job's stored settings, which every run reads. */
export function registerSettingsCommand(program: Command, cli: Cli): void {
  program
    .command("settings <job>")
    .description(
      "Show or change a job's stored settings: config overrides every run of it uses (scheduled or manual), under the run's own --set",
    )
    .option(
      "--set <key=value>",
      "set a key in a new version, nested keys dotted: weights.trajectory=0 (repeatable)",
      collect,
      [],
    )
    .option("--unset <key>", "remove a key in a new version (repeatable)", collect, [])
    .option("--reset", "write a new version with no overrides: runs use the defaults")
    .option("--note <text>", "why, stored with the new version")
    .option("--history", "list the stored versions, newest first")
    .option("--limit <n>", "versions --history lists", positiveInt, 20)
    .option("--json", "print JSON")
    .action(async (name: string, flags: SettingsFlags) => {
      const job = findJob(name);
      if (!job) {
        throw new UsageError(`no job "${name}" (jobs: ${catalog.map((j) => j.name).join(", ")})`);
      }
      const changes = assertFlagsGoTogether(flags);
      cli.exitCode = await withDatabase((db) => settingsCommand(db, job, flags, changes, cli.io));
    });
}

/**
 * Refuses flags that do not go together, before the database is opened (seconds for the
 * embedded one); returns whether they change the settings.
 */
function assertFlagsGoTogether(flags: SettingsFlags): boolean {
  const changes = flags.set.length > 0 || flags.unset.length > 0;
  if (flags.reset && changes) throw new UsageError("--reset writes {}; drop --set and --unset");
  if (flags.history && (changes || flags.reset)) {
    throw new UsageError("--history only lists versions; run the change without it");
  }
  if (flags.note !== undefined && !changes && !flags.reset) {
    throw new UsageError("--note goes with a change (--set, --unset or --reset)");
  }
  return changes || flags.reset === true;
}

async function settingsCommand(
  db: Database,
  job: AnyJob,
  flags: SettingsFlags,
  changes: boolean,
  io: CliIO,
): Promise<number> {
  if (flags.history) return showHistory(db, job, flags, io);
  if (changes) return change(db, job, flags, io);
  return showCurrent(db, job, flags.json === true, io);
}

async function showCurrent(db: Database, job: AnyJob, json: boolean, io: CliIO): Promise<number> {
  const stored = await readSettings(db, job.name);
  let problem: string | null = null;
  let nonDefault: [string, unknown, unknown][] = [];
  try {
    nonDefault = nonDefaultKeys(job, layerSettings(job, stored, {}).overrides);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problem = error.message;
  }
  if (json) {
    const keys = nonDefault.map(([key, value, fallback]) => ({ key, value, default: fallback }));
    io.out(JSON.stringify({ job: job.name, stored, nonDefault: keys, problem }, null, 2));
  } else {
    io.out(describeStored(job, stored));
    for (const [key, value] of configEntries(stored?.settings ?? {})) {
      io.out(`  ${key} = ${JSON.stringify(value)}`);
    }
    if (!problem) io.out(describeNonDefault(nonDefault));
  }
  // Runs of this job are refused until the settings are fixed: say so, as a run would.
  if (problem) io.err(`error: ${problem}`);
  return problem ? ExitCode.usage : ExitCode.ok;
}

function describeStored(job: AnyJob, stored: StoredSettings | null): string {
  if (!stored) return `${job.name}: no stored settings; runs use the defaults.`;
  const by = stored.actor ? ` by ${stored.actor}` : "";
  const note = stored.note ? ` — ${stored.note}` : "";
  const what = Object.keys(stored.settings).length === 0 ? " (no overrides)" : ":";
  return `${job.name}: settings version ${stored.version}, written ${stored.createdAt.toISOString()}${by}${note}${what}`;
}

/** Keys of the config runs resolve to that differ from the defaults, `algorithm` included. */
function nonDefaultKeys(
  job: AnyJob,
  overrides: Record<string, unknown>,
): [string, unknown, unknown][] {
  const { version, config } = resolveRun(job, overrides);
  const defaults = new Map(configEntries(configDefaults(job)));
  const resolved = configEntries(config);
  const rows = resolved
    .filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(defaults.get(key)))
    .map(([key, value]): [string, unknown, unknown] => [key, value, defaults.get(key)]);
  return version === job.algorithmVersion
    ? rows
    : [[ALGORITHM_KEY, version, job.algorithmVersion], ...rows];
}

function describeNonDefault(keys: [string, unknown, unknown][]): string {
  if (keys.length === 0) return "Resolved config: every key at its default.";
  const lines = keys.map(
    ([key, value, fallback]) =>
      `  ${key} = ${JSON.stringify(value)} (default ${JSON.stringify(fallback)})`,
  );
  return ["Resolved config, keys that differ from the defaults:", ...lines].join("\n");
}

async function change(db: Database, job: AnyJob, flags: SettingsFlags, io: CliIO): Promise<number> {
  const current = await readSettings(db, job.name);
  const before = current?.settings ?? {};
  const after = flags.reset
    ? {}
    : changeSettings(before, { set: parseOverrides(flags.set), unset: flags.unset });
  const lines = describeChange(before, after);
  if (lines.length === 0) {
    io.out(
      current
        ? `${job.name}: no change; settings version ${current.version} stays in force.`
        : `${job.name}: no stored settings; nothing to change.`,
    );
    return ExitCode.ok;
  }
  const version = await writeSettings(db, job, after, {
    actor: `cli@${hostname()}`,
    ...(flags.note !== undefined ? { note: flags.note } : {}),
  });
  if (flags.json) {
    io.out(
      JSON.stringify(
        { job: job.name, version, previous: current?.version ?? null, settings: after },
        null,
        2,
      ),
    );
    return ExitCode.ok;
  }
  const was = current ? `was version ${current.version}` : "the first";
  io.out(
    `${job.name}: wrote settings version ${version} (${was}); every run of ${job.name} now uses it.`,
  );
  for (const line of lines) io.out(line);
  return ExitCode.ok;
}

/** One line per dotted key that a change adds, changes or removes. */
function describeChange(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const old = new Map(configEntries(before));
  const now = new Map(configEntries(after));
  const show = (value: unknown) => JSON.stringify(value);
  const lines: string[] = [];
  for (const [key, value] of now) {
    if (!old.has(key)) lines.push(`  + ${key} = ${show(value)}`);
    else if (show(old.get(key)) !== show(value)) {
      lines.push(`  ~ ${key}: ${show(old.get(key))} -> ${show(value)}`);
    }
  }
  for (const [key, value] of old) {
    if (!now.has(key)) lines.push(`  - ${key} (was ${show(value)})`);
  }
  return lines;
}

async function showHistory(
  db: Database,
  job: AnyJob,
  flags: SettingsFlags,
  io: CliIO,
): Promise<number> {
  const versions = await settingsHistory(db, job.name, flags.limit);
  if (flags.json) {
    io.out(JSON.stringify(versions, null, 2));
  } else if (versions.length === 0) {
    io.out(`${job.name}: no stored settings; runs use the defaults.`);
  } else {
    const rows = versions.map((v) => [
      String(v.version),
      v.createdAt.toISOString(),
      v.actor ?? "",
      JSON.stringify(v.settings),
      v.note ?? "",
    ]);
    io.out(table(["version", "written", "by", "settings", "note"], rows));
  }
  return ExitCode.ok;
}
