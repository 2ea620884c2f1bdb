import { setTimeout as sleep } from "node:timers/promises";
import { isLockTimeout } from "./errors.ts";
import { pauseAt } from "./fault-points.ts";
import type { Prisma, PrismaClient } from "./generated/prisma/client.ts";
import { databaseTimeouts, seconds, timeoutVariable } from "./timeouts.ts";

/**
 * Full rebuilds of output tables: a job that recomputes every row writes them into an empty
 * copy of the table, which replaces the table in one short transaction at the end. Loading a
 * copy that has no foreign keys skips two per-row checks, and readers keep seeing the complete
 * old rows until the commit, then the complete new ones. A failed or cancelled run leaves the
 * tables as they were. Table names are the code's own constants, never input.
 *
 * Readers never wait for a swap: the statements that take a lock others queue behind (the swap,
 * adding a foreign key) wait for it at most a short lock timeout, then give up, let the queued
 * readers and writers through, and try again later.
 */

type Sql = Pick<Prisma.TransactionClient, "$queryRawUnsafe" | "$executeRawUnsafe">;

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The copy a rebuild of `table` writes into. */
export const rebuildCopyOf = (table: string) => `${table}_rebuild`;

/** Suffix of a foreign key on the copy until it takes over the table's own name. */
const PENDING = "_rebuild";

/**
 * Starts rebuilding `tables`: an empty copy of each with the same columns, defaults, primary
 * key and indexes, and no foreign keys. Replaces a copy that an interrupted rebuild left.
 */
export async function startRebuild(db: Sql, tables: readonly string[]): Promise<void> {
  for (const table of tables) {
    const copy = quote(rebuildCopyOf(table));
    await db.$executeRawUnsafe(`DROP TABLE IF EXISTS ${copy}`);
    await db.$executeRawUnsafe(`CREATE TABLE ${copy} (LIKE ${quote(table)} INCLUDING ALL)`);
  }
  await pauseAt("rebuild:scoring");
}

/**
 * Drops the copies of a rebuild that will not finish (or that a killed run left); the tables are
 * untouched. Returns the copies it found.
 */
export async function abandonRebuild(db: Sql, tables: readonly string[]): Promise<string[]> {
  const copies = tables.map(rebuildCopyOf);
  const found = await db.$queryRawUnsafe<{ name: string }[]>(
    "SELECT name FROM unnest($1::text[]) AS name WHERE to_regclass(quote_ident(name)) IS NOT NULL",
    copies,
  );
  for (const { name } of found) await db.$executeRawUnsafe(`DROP TABLE IF EXISTS ${quote(name)}`);
  return found.map((row) => row.name);
}

export interface ShortLockOptions {
  /** The longest one attempt waits for a lock. Default: FEED_JOBS_SWAP_LOCK_TIMEOUT_MS (2 s). */
  lockTimeoutMs?: number;
  /** Attempts before giving up. Default: FEED_JOBS_SWAP_ATTEMPTS (8). */
  attempts?: number;
  /** Told about each attempt that did not get its locks. */
  log?: (message: string) => void;
}

const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 15_000;

/**
 * Runs `work` in a transaction whose lock waits end after a short lock timeout; when one does,
 * everything queued behind the wait proceeds, and the transaction is tried again after a
 * backoff (0.5 s, 1 s, 2 s, … at most 15 s), up to the attempts allowed.
 */
async function withShortLocks(
  prisma: PrismaClient,
  what: string,
  options: ShortLockOptions & { timeoutMs: number },
  work: (tx: Sql) => Promise<unknown>,
): Promise<void> {
  const defaults = databaseTimeouts();
  const lockTimeoutMs = options.lockTimeoutMs ?? defaults.swapLockMs;
  const attempts = options.attempts ?? defaults.swapAttempts;
  for (let attempt = 1; ; attempt++) {
    try {
      await prisma.$transaction(
        async (tx) => {
          await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = ${Math.round(lockTimeoutMs)}`);
          await work(tx);
        },
        { timeout: options.timeoutMs, maxWait: options.timeoutMs },
      );
      return;
    } catch (error) {
      if (!isLockTimeout(error)) throw error;
      if (attempt >= attempts) {
        throw new Error(
          `${what}: its locks were not free within ${seconds(lockTimeoutMs)} in ${attempts} attempts (long readers or writers; ${timeoutVariable("swapLockMs")}, ${timeoutVariable("swapAttempts")}); the tables are unchanged`,
          { cause: error },
        );
      }
      const backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** (attempt - 1));
      options.log?.(
        `${what}: locks not free within ${seconds(lockTimeoutMs)} (attempt ${attempt} of ${attempts}); trying again in ${seconds(backoff)}`,
      );
      await sleep(backoff);
    }
  }
}

interface ForeignKey {
  name: string;
  definition: string;
  columns: string[];
  referenced: string;
  referencedColumns: string[];
}

async function foreignKeys(db: Sql, table: string): Promise<ForeignKey[]> {
  const columnsOf = (relation: string, keys: string) => `(
    SELECT array_agg(a.attname::text ORDER BY k.i)
    FROM unnest(${keys}) WITH ORDINALITY k(n, i)
    JOIN pg_attribute a ON a.attrelid = ${relation} AND a.attnum = k.n)`;
  return db.$queryRawUnsafe<ForeignKey[]>(
    `SELECT c.conname::text AS name, pg_get_constraintdef(c.oid) AS definition,
            ${columnsOf("c.conrelid", "c.conkey")} AS columns,
            c.confrelid::regclass::text AS referenced,
            ${columnsOf("c.confrelid", "c.confkey")} AS "referencedColumns"
     FROM pg_constraint c
     WHERE c.conrelid = $1::regclass AND c.contype = 'f'
     ORDER BY c.conname`,
    table,
  );
}

/**
 * Gives the copy the table's foreign keys: added unchecked (from then on, deletes cascade into
 * the copy too), rows whose referenced row was deleted during the rebuild dropped, then checked
 * once, set-based, instead of once per inserted row.
 */
async function addForeignKeys(
  db: PrismaClient,
  table: string,
  options: ShortLockOptions & { timeoutMs: number },
): Promise<void> {
  const copy = rebuildCopyOf(table);
  for (const fk of await foreignKeys(db, table)) {
    const pending = quote(`${fk.name}${PENDING}`);
    // Takes a lock on the referenced table that its writers queue behind: kept short.
    await withShortLocks(db, `rebuild of ${table}, key ${fk.name}`, options, (tx) =>
      tx.$executeRawUnsafe(
        `ALTER TABLE ${quote(copy)} ADD CONSTRAINT ${pending} ${fk.definition} NOT VALID`,
      ),
    );
    await pauseAt("rebuild:keys");
    const joins = fk.columns.map(
      (column, i) => `r.${quote(fk.referencedColumns[i] ?? column)} = c.${quote(column)}`,
    );
    const present = fk.columns.map((column) => `c.${quote(column)} IS NOT NULL`);
    await db.$executeRawUnsafe(
      `DELETE FROM ${quote(copy)} c WHERE ${present.join(" AND ")}
         AND NOT EXISTS (SELECT 1 FROM ${fk.referenced} r WHERE ${joins.join(" AND ")})`,
    );
    await db.$executeRawUnsafe(`ALTER TABLE ${quote(copy)} VALIDATE CONSTRAINT ${pending}`);
  }
}

/** Index name → what it indexes ("UNIQUE" or "" + the definition from USING on). */
async function indexShapes(db: Sql, table: string): Promise<Map<string, string>> {
  const rows = await db.$queryRawUnsafe<{ name: string; shape: string }[]>(
    `SELECT c.relname::text AS name,
            CASE WHEN i.indisunique THEN 'UNIQUE ' ELSE '' END
              || substring(pg_get_indexdef(i.indexrelid) FROM ' USING .*$') AS shape
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE i.indrelid = $1::regclass
     ORDER BY c.relname`,
    table,
  );
  return new Map(rows.map((r) => [r.name, r.shape]));
}

/** Grants on the table, to repeat on the copy (a feed role's SELECT must survive the swap). */
async function grants(db: Sql, table: string) {
  return db.$queryRawUnsafe<{ grantee: string; privilege: string }[]>(
    `SELECT grantee::text AS grantee, privilege_type::text AS privilege
     FROM information_schema.role_table_grants
     WHERE table_schema = current_schema() AND table_name = $1
       AND grantee <> (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = $1::regclass)`,
    table,
  );
}

/** Inside the swap: the copy replaces the table and takes over every name the table had. */
async function replaceTable(tx: Sql, table: string): Promise<void> {
  const copy = rebuildCopyOf(table);
  await tx.$executeRawUnsafe(`LOCK TABLE ${quote(table)} IN ACCESS EXCLUSIVE MODE`);
  const names = await indexShapes(tx, table);
  const copyNames = await indexShapes(tx, copy);
  for (const { grantee, privilege } of await grants(tx, table)) {
    const to = grantee === "PUBLIC" ? "PUBLIC" : quote(grantee);
    await tx.$executeRawUnsafe(`GRANT ${privilege} ON ${quote(copy)} TO ${to}`);
  }
  await tx.$executeRawUnsafe(`DROP TABLE ${quote(table)}`);
  await tx.$executeRawUnsafe(`ALTER TABLE ${quote(copy)} RENAME TO ${quote(table)}`);
  for (const [name, shape] of names) {
    const match = [...copyNames].find(([, s]) => s === shape);
    if (!match) throw new Error(`rebuild of ${table}: no index like "${name}" on the copy`);
    copyNames.delete(match[0]);
    await tx.$executeRawUnsafe(`ALTER INDEX ${quote(match[0])} RENAME TO ${quote(name)}`);
  }
  for (const fk of await foreignKeys(tx, table)) {
    if (!fk.name.endsWith(PENDING)) continue;
    const name = fk.name.slice(0, -PENDING.length);
    await tx.$executeRawUnsafe(
      `ALTER TABLE ${quote(table)} RENAME CONSTRAINT ${quote(fk.name)} TO ${quote(name)}`,
    );
  }
}

/**
 * Swaps the filled copies in for `tables`. Foreign keys are added and checked first, outside
 * the swap; the swap itself (lock, drop, rename) is one transaction, `inSwap` runs inside it.
 * A swap whose locks are not free within the short lock timeout gives up and tries again (see
 * {@link ShortLockOptions}); when every attempt fails it throws and the tables are unchanged.
 */
export async function finishRebuild(
  prisma: PrismaClient,
  tables: readonly string[],
  options: ShortLockOptions & { timeoutMs: number; inSwap?: (tx: Sql) => Promise<void> },
): Promise<void> {
  for (const table of tables) await addForeignKeys(prisma, table, options);
  await withShortLocks(prisma, `swap of ${tables.join(", ")}`, options, async (tx) => {
    for (const table of tables) await replaceTable(tx, table);
    await pauseAt("rebuild:swap");
    await options.inSwap?.(tx);
  });
}
