import type { Tx } from "./insert.ts";

interface Ddl {
  table: string;
  drop_sql: string;
  create_sql: string;
}

/**
 * Runs `load` with the secondary indexes (B-tree, HNSW, partial, …) and foreign keys of
 * `tables` dropped, then recreates them exactly as they were, definitions read from the
 * catalog: one sort or bulk build per index and one set-based check per foreign key instead
 * of per-row maintenance (an HNSW index built once is ~4× cheaper than 9k single inserts; a
 * million events load several times faster). Primary keys stay. Meant to run inside a
 * transaction, so that a failure restores everything.
 */
export async function withoutIndexes<T>(
  tx: Tx,
  tables: readonly string[],
  load: () => Promise<T>,
  log: (message: string) => void = () => {},
): Promise<T> {
  const names = [...tables];
  const foreignKeys = await tx.$queryRaw<Ddl[]>`
    SELECT conrelid::regclass::text AS table,
           format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname) AS drop_sql,
           format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname,
                  pg_get_constraintdef(oid)) AS create_sql
    FROM pg_constraint
    WHERE contype = 'f'
      AND conrelid IN (SELECT to_regclass(quote_ident(t)) FROM unnest(${names}::text[]) AS t)
    ORDER BY 1, conname`;
  const indexes = await tx.$queryRaw<Ddl[]>`
    SELECT ix.indrelid::regclass::text AS table,
           format('DROP INDEX %I.%I', n.nspname, c.relname) AS drop_sql,
           pg_get_indexdef(ix.indexrelid) AS create_sql
    FROM pg_index ix
    JOIN pg_class c ON c.oid = ix.indexrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE ix.indrelid IN (SELECT to_regclass(quote_ident(t)) FROM unnest(${names}::text[]) AS t)
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = ix.indexrelid)
    ORDER BY 1, c.relname`;
  for (const ddl of [...foreignKeys, ...indexes]) await tx.$executeRawUnsafe(ddl.drop_sql);
  const result = await load();

  // Sorts for the big indexes fit in memory instead of spilling to temporary files.
  await tx.$executeRawUnsafe("SET LOCAL maintenance_work_mem = '256MB'");
  for (const table of new Set(indexes.map((ddl) => ddl.table))) {
    const started = performance.now();
    const mine = indexes.filter((ddl) => ddl.table === table);
    for (const ddl of mine) await tx.$executeRawUnsafe(ddl.create_sql);
    log(
      `  built ${mine.length} indexes of ${table} in ${Math.round(performance.now() - started)} ms`,
    );
  }
  const started = performance.now();
  for (const ddl of foreignKeys) await tx.$executeRawUnsafe(ddl.create_sql);
  log(
    `  checked ${foreignKeys.length} foreign keys in ${Math.round(performance.now() - started)} ms`,
  );
  return result;
}
