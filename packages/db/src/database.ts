import type { CopyTarget, CopyValue } from "./copy-rows.ts";
import type { PrismaClient } from "./generated/prisma/client.ts";

/** A script runner bound to one connection inside one transaction (used by migrations). */
export interface ScriptTransaction {
  exec(sql: string): Promise<void>;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface ScriptOptions {
  /**
   * No statement timeout: neither the server's (FEED_JOBS_STATEMENT_TIMEOUT_MS) nor the client's
   * wait for an answer. For migrations, whose statements (a CREATE INDEX on a big table) may
   * rightly run for long; a frozen server is then waited for until the command is stopped.
   */
  untimed?: boolean;
}

/** A lock taken with {@link Database.tryLock}, held until released or its connection is lost. */
export interface HeldLock {
  release(): Promise<void>;
  /** Set once the lock's connection is lost: the lock is no longer held. */
  readonly lost: Error | undefined;
}

/**
 * One opened database, embedded (PGlite) or PostgreSQL. Jobs use `prisma` (typed queries
 * and `$queryRaw`/`$executeRaw` for set-based SQL); the rest is for the framework.
 */
export interface Database {
  readonly kind: "embedded" | "postgres";
  readonly prisma: PrismaClient;
  /** Where the data lives, for messages (never includes a password). */
  readonly location: string;
  /** Whether the pgvector extension can be used (always embedded; on a server, if installed). */
  hasVector(): Promise<boolean>;
  /**
   * Runs `fn` in one transaction on one connection, with simple-protocol multi-statement SQL.
   * The embedded database has no timeouts, so `options` change nothing there.
   */
  scriptTransaction<T>(
    fn: (tx: ScriptTransaction) => Promise<T>,
    options?: ScriptOptions,
  ): Promise<T>;
  /**
   * Runs raw SQL outside Prisma: with `values`, one parameterised statement; without, a
   * multi-statement script (simple protocol). The shape pg-boss's `db` option expects, so the
   * queue runs on this database's own connection (embedded) or pool (PostgreSQL).
   */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  /**
   * Appends `rows` to `target` with COPY (see copy-rows.ts): the fastest bulk write, for tables
   * nothing else writes (a rebuild's copies). Returns the rows copied.
   */
  copyRows(target: CopyTarget, rows: readonly (readonly CopyValue[])[]): Promise<number>;
  /** Takes a session-level lock named `key` if free; null when another session holds it. */
  tryLock(key: string): Promise<HeldLock | null>;
  /** Whether any session, this one included, holds the lock named `key` (without taking it). */
  isLockHeld(key: string): Promise<boolean>;
  close(): Promise<void>;
}
