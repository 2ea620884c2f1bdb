import { Prisma } from "@feed-jobs/db";
import type { JobContext } from "@feed-jobs/jobs";

/** The client or an interactive transaction. */
type Sql = Pick<Prisma.TransactionClient, "$queryRaw" | "$executeRaw">;

/**
 * An input that every shard of a full run would aggregate again for the people it meets
 * (compatibility's topic profiles, affinity's creator audiences): aggregated once instead,
 * before the shards start, into its table, which they read by key. Every full run rewrites it.
 */
export interface RunInput {
  readonly table: string;
  /** The column the shards read by. */
  readonly key: string;
  readonly columns: readonly string[];
}

/**
 * Empties `input`'s table and fills it in one statement from `rows` (a query returning its
 * columns); returns `count`, an aggregate over `rows` (what producing them read).
 */
export async function storeRunInput(
  db: Sql,
  input: RunInput,
  rows: Prisma.Sql,
  count: Prisma.Sql,
): Promise<number> {
  const table = Prisma.raw(input.table);
  const columns = Prisma.raw(input.columns.join(", "));
  await db.$executeRaw`TRUNCATE ${table}`;
  const [stored] = await db.$queryRaw<{ n: number }[]>`
    WITH input AS (${rows}),
    stored AS (INSERT INTO ${table} (${columns}) SELECT ${columns} FROM input)
    SELECT coalesce(${count}, 0)::int AS n FROM input`;
  return stored?.n ?? 0;
}

/** The stored rows of `ids`, by the table's key, and how many were read. */
export async function readRunInput<Row>(
  db: Sql,
  input: RunInput,
  ids: readonly string[],
): Promise<{ rows: Row[]; rowsRead: number }> {
  const rows = await db.$queryRaw<Row[]>`
    SELECT ${Prisma.raw(input.columns.join(", "))} FROM ${Prisma.raw(input.table)}
    WHERE ${Prisma.raw(input.key)} = ANY(${[...ids]}::text[])`;
  return { rows, rowsRead: rows.length };
}

/**
 * Whether a batch reads its run's stored inputs: in a full run's shard (writing the rebuild
 * copy), unless a dry run, which stores nothing; runs in place aggregate per batch.
 */
export const readsStoredInputs = (ctx: JobContext<unknown>, target: "in place" | "rebuild") =>
  target === "rebuild" && ctx.options.dryRun !== true;
