import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Database, ScriptTransaction } from "./database.ts";

export const defaultMigrationsDir = fileURLToPath(
  new URL("../../../prisma/migrations", import.meta.url),
);

/** Prisma's own bookkeeping table, created exactly as `prisma migrate` creates it. */
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
  /** Recorded in the database but absent from the folder (the database is ahead of this code). */
  unknown: string[];
}

export class MigrationError extends Error {
  constructor(
    readonly migration: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "MigrationError";
  }
}

/** Reads `<dir>/<timestamp>_<name>/migration.sql` in name order, as Prisma lays them out. */
export function readMigrations(dir = defaultMigrationsDir): MigrationFile[] {
  const root = resolve(dir);
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(root, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/** A row of `_prisma_migrations` for an applied migration. */
export interface AppliedMigration {
  migration_name: string;
  checksum: string;
}

/** An applied migration whose file changed since: refused, it would never be applied again. */
export class ChangedMigration extends MigrationError {
  constructor(migration: string, recorded: string, onDisk: string) {
    super(
      migration,
      `Migration ${migration} was changed after it was applied (checksum ${recorded.slice(0, 12)}… in the database, ${onDisk.slice(0, 12)}… on disk). Add a new migration instead of editing an applied one.`,
    );
    this.name = "ChangedMigration";
  }
}

/** Throws {@link ChangedMigration} for the first applied migration whose file changed. */
export function assertUnchanged(
  applied: readonly AppliedMigration[],
  migrations: readonly MigrationFile[] = readMigrations(),
): void {
  const recordedByName = new Map(applied.map((row) => [row.migration_name, row.checksum]));
  for (const migration of migrations) {
    const recorded = recordedByName.get(migration.name);
    if (recorded !== undefined && recorded !== migration.checksum) {
      throw new ChangedMigration(migration.name, recorded, migration.checksum);
    }
  }
}

/**
 * Applies every migration not yet recorded in `_prisma_migrations`, each in its own
 * transaction with its record, so a failing migration leaves no trace. Re-applying is a
 * no-op; an applied migration whose file changed since is refused.
 */
export async function migrate(
  db: Database,
  migrations = readMigrations(),
): Promise<MigrationResult> {
  const lock = await waitForLock(db, "migrations");
  try {
    const applied = await db.scriptTransaction(async (tx) => {
      await tx.exec(CREATE_MIGRATIONS_TABLE);
      return tx.query<AppliedMigration>(
        `SELECT migration_name, checksum FROM "_prisma_migrations"
         WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      );
    });
    assertUnchanged(applied, migrations);
    const byName = new Map(applied.map((row) => [row.migration_name, row.checksum]));
    const result: MigrationResult = { applied: [], alreadyApplied: [], unknown: [] };
    for (const migration of migrations) {
      if (byName.has(migration.name)) {
        result.alreadyApplied.push(migration.name);
        continue;
      }
      await applyOne(db, migration);
      result.applied.push(migration.name);
    }
    const onDisk = new Set(migrations.map((m) => m.name));
    result.unknown = [...byName.keys()].filter((name) => !onDisk.has(name));
    return result;
  } finally {
    await lock.release();
  }
}

async function applyOne(db: Database, migration: MigrationFile): Promise<void> {
  try {
    // Untimed: a long CREATE INDEX on a big table must not be cut by the statement timeout.
    await db.scriptTransaction(
      async (tx: ScriptTransaction) => {
        const startedAt = new Date();
        await tx.exec(migration.sql);
        await tx.query(
          `INSERT INTO "_prisma_migrations"
           (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
         VALUES ($1, $2, now(), $3, NULL, NULL, $4, 1)`,
          [randomUUID(), migration.checksum, migration.name, startedAt],
        );
      },
      { untimed: true },
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(
      migration.name,
      `Migration ${migration.name} failed and was rolled back: ${reason}`,
      { cause: error },
    );
  }
}

async function waitForLock(db: Database, key: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lock = await db.tryLock(key);
    if (lock) return lock;
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for another process to finish migrating ${db.location}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
