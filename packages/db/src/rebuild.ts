import type { Prisma, PrismaClient } from "./generated/prisma/client.ts";

/**
 * Full rebuilds of output tables: a job that recomputes every row writes them into an empty
 * copy of the table, which replaces the table in one short transaction at the end. Loading a
 * copy that has no foreign keys skips two per-row checks, and readers keep seeing the complete
 * old rows until the commit, then the complete new ones. A failed or cancelled run leaves the
 * tables as they were. Table names are the code's own constants, never input.
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
}

/** Drops the copies of a rebuild that will not finish; the tables are untouched. */
export async function abandonRebuild(db: Sql, tables: readonly string[]): Promise<void> {
  for (const table of tables) {
    await db.$executeRawUnsafe(`DROP TABLE IF EXISTS ${quote(rebuildCopyOf(table))}`);
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
async function addForeignKeys(db: Sql, table: string): Promise<void> {
  const copy = rebuildCopyOf(table);
  for (const fk of await foreignKeys(db, table)) {
    const pending = quote(`${fk.name}${PENDING}`);
    await db.$executeRawUnsafe(
      `ALTER TABLE ${quote(copy)} ADD CONSTRAINT ${pending} ${fk.definition} NOT VALID`,
    );
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
 */
export async function finishRebuild(
  prisma: PrismaClient,
  tables: readonly string[],
  options: { timeoutMs: number; inSwap?: (tx: Sql) => Promise<void> },
): Promise<void> {
  for (const table of tables) await addForeignKeys(prisma, table);
  await prisma.$transaction(
    async (tx) => {
      for (const table of tables) await replaceTable(tx, table);
      await options.inSwap?.(tx);
    },
    { timeout: options.timeoutMs, maxWait: options.timeoutMs },
  );
}
