import type { Database } from "@feed-jobs/db";
import type { OutputTable } from "./outputs.ts";

const CHUNK = 10_000;
/** Prisma's default of 5 s is far below 100 000 rows on a loaded machine. */
const TRANSACTION_TIMEOUT_MS = 600_000;

/**
 * The raw reference rate: rows of `table`'s shape inserted with one
 * INSERT … SELECT FROM unnest(…) per chunk, in one transaction, into a copy of the table
 * with the same primary key and indexes. Returns rows per second.
 */
export async function referenceRate(
  db: Database,
  table: OutputTable,
  rows: Record<string, unknown>[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const copy = `bench_ref_${table.table}`;
  await db.prisma.$executeRawUnsafe(`DROP TABLE IF EXISTS ${copy}`);
  await db.prisma.$executeRawUnsafe(`CREATE TABLE ${copy} (LIKE ${table.table} INCLUDING ALL)`);
  try {
    const sql = unnestInsert(copy, table);
    const started = performance.now();
    await db.prisma.$transaction(
      async (tx) => {
        for (let i = 0; i < rows.length; i += CHUNK) {
          await tx.$executeRawUnsafe(sql, ...columnArrays(table, rows.slice(i, i + CHUNK)));
        }
      },
      { timeout: TRANSACTION_TIMEOUT_MS, maxWait: TRANSACTION_TIMEOUT_MS },
    );
    return rows.length / ((performance.now() - started) / 1000);
  } finally {
    await db.prisma.$executeRawUnsafe(`DROP TABLE IF EXISTS ${copy}`);
  }
}

/** The straightforward implementation's rate: one Prisma upsert per row. Rows per second. */
export async function perRowRate(
  db: Database,
  table: OutputTable,
  rows: Record<string, unknown>[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const started = performance.now();
  for (const row of rows) await table.upsertRow(db.prisma, row);
  return rows.length / ((performance.now() - started) / 1000);
}

function unnestInsert(target: string, table: OutputTable): string {
  const names = table.columns.map(([name]) => name);
  const params = table.columns.map(([, type], i) => `$${i + 1}::${paramType(type)}`);
  const casts = table.columns.map(([name, type]) => `${name}::${type}`);
  return `INSERT INTO ${target} (${names.join(", ")})
    SELECT ${casts.join(", ")} FROM unnest(${params.join(", ")}) AS t(${names.join(", ")})`;
}

/** Arrays of scalars bind natively; jsonb, timestamps and per-row arrays travel as text. */
function paramType(sqlType: string): string {
  return ["float8", "int", "boolean", "text"].includes(sqlType) ? `${sqlType}[]` : "text[]";
}

function columnArrays(table: OutputTable, rows: Record<string, unknown>[]): unknown[][] {
  return table.columns.map(([name, type]) => rows.map((row) => encode(row[name], type)));
}

function encode(value: unknown, sqlType: string): unknown {
  if (value === null || value === undefined) return null;
  if (sqlType === "jsonb") return JSON.stringify(value);
  if (sqlType.startsWith("timestamp")) return (value as Date).toISOString();
  if (sqlType === "text[]") return arrayLiteral(value as string[]);
  return value;
}

function arrayLiteral(items: string[]): string {
  return `{${items.map((s) => `"${s.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`).join(",")}}`;
}
