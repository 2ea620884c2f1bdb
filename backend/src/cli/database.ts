import {
  type AppliedMigration,
  assertUnchanged,
  asUnavailable,
  type Database,
  isMissingTable,
  migrate,
  openDatabase,
  readMigrations,
} from "@feed-jobs/db";
import { missingScopeTarget } from "../jobs/scope-targets.ts";
import { UsageError } from "./io.ts";

/**
 * Opens the configured database for one command and closes it in `finally`. The embedded
 * database migrates itself (a no-op once current); a server must be migrated explicitly,
 * since other processes may be using it.
 */
export async function withDatabase<T>(
  fn: (db: Database) => Promise<T>,
  { autoMigrate = true } = {},
): Promise<T> {
  const db = await openDatabase();
  try {
    if (autoMigrate) await ensureMigrated(db);
    return await fn(db);
  } catch (error) {
    // The real cause (refused, authentication, unknown database, timeout, lost), exit code 4.
    throw asUnavailable(error, db.location) ?? error;
  } finally {
    await db.close();
  }
}

async function ensureMigrated(db: Database): Promise<void> {
  if (db.kind === "embedded") {
    await migrate(db);
    return;
  }
  const applied = await db.prisma.$queryRaw<AppliedMigration[]>`
      SELECT migration_name, checksum FROM "_prisma_migrations"
      WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`.catch((error: unknown) => {
    // No migration table yet: nothing applied. Any other error is the real problem.
    if (isMissingTable(error)) return [];
    throw error;
  });
  assertUnchanged(applied);
  const done = new Set(applied.map((row) => row.migration_name));
  const pending = readMigrations().filter((m) => !done.has(m.name));
  if (pending.length > 0) {
    throw new UsageError(
      `${db.location} has ${pending.length} pending migration(s) (${pending[0]?.name}…). Run \`pnpm db:migrate\` first.`,
    );
  }
}

export async function assertUserExists(db: Database, id: string): Promise<void> {
  const missing = await missingScopeTarget(db, { userId: id });
  if (missing) throw new UsageError(`--user-id: ${missing}.`);
}

export async function assertPostExists(db: Database, id: string): Promise<void> {
  const missing = await missingScopeTarget(db, { postId: id });
  if (missing) throw new UsageError(`--post-id: ${missing}.`);
}

/**
 * Refuses `what` on the embedded database (no DATABASE_URL), before opening it: its folder
 * belongs to one process, so other processes cannot share its queue.
 */
export function assertServerDatabase(what: string, instead: string): void {
  if (process.env.DATABASE_URL?.trim()) return;
  throw new UsageError(
    `${what} needs PostgreSQL (DATABASE_URL): the embedded database's folder belongs to one process, which no worker process can share. ${instead}`,
  );
}
