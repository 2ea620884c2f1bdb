import { eligiblePerson, Prisma, rebuildCopyOf } from "@feed-jobs/db";
import type { JobContext, ShardOutcome, ShardSpec } from "@feed-jobs/jobs";
import { z } from "zod";

/**
 * How compatibility, affinity and content-features cut a full run into shards (see
 * `JobContext.distribute`): by ranges of their key (a user id, a post id), each shard filling its
 * range of the rebuild copy.
 */

/** The client or an interactive transaction. */
type Sql = Pick<Prisma.TransactionClient, "$queryRaw" | "$executeRaw">;

/**
 * A shard's part of a key: the ids after `afterId` (null: from the first) through `throughId`
 * (null: to the last), in the database's order of text. A run's ranges follow each other and
 * the first and last are open, so every id, even one the plan never saw, is in exactly one.
 */
export type IdRange = {
  readonly afterId: string | null;
  readonly throughId: string | null;
};

const idRangeSpec = z.strictObject({
  afterId: z.string().nullable(),
  throughId: z.string().nullable(),
});

/** The range a shard spec names; throws naming the spec when it is not one. */
export function idRangeOf(spec: ShardSpec): IdRange {
  const parsed = idRangeSpec.safeParse(spec);
  if (!parsed.success) {
    throw new Error(
      `shard spec ${JSON.stringify(spec)} is not an id range { afterId, throughId } (string or null each): ${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data;
}

/**
 * Ranges of at most `size` of `ids` each (at least one range), from ids in the database's
 * order: the bounds are ids at positions, never compared in JavaScript, whose order of text
 * may differ from the database's collation.
 */
export function rangesOf(ids: readonly string[], size: number): IdRange[] {
  const bounds: string[] = [];
  for (let end = size; end < ids.length; end += size) bounds.push(ids[end - 1] as string);
  return rangesBetween(bounds);
}

/** Consecutive ranges split at `bounds` (in order), open at both ends. */
function rangesBetween(bounds: readonly string[]): IdRange[] {
  return [null, ...bounds].map((afterId, i) => ({ afterId, throughId: bounds[i] ?? null }));
}

/**
 * The users eligible at `now` and ranges of at most `size` of them each, in one query (the
 * `size`-th, 2×`size`-th, … eligible id), without shipping every id.
 */
export async function eligibleUserRanges(
  db: Sql,
  now: Date,
  size: number,
): Promise<{ count: number; ranges: IdRange[] }> {
  const rows = await db.$queryRaw<{ id: string; rank: number; count: number }[]>`
    SELECT id, rank, count FROM (
      SELECT u.id, (row_number() OVER (ORDER BY u.id))::int AS rank, (count(*) OVER ())::int AS count
      FROM users u WHERE ${eligiblePerson("u", now)}
    ) numbered
    WHERE rank % ${size}::int = 0 OR rank = count
    ORDER BY id`;
  const count = rows[0]?.count ?? 0;
  const bounds = rows.filter((r) => r.rank % size === 0 && r.rank < count).map((r) => r.id);
  return { count, ranges: rangesBetween(bounds) };
}

/** SQL: `column` (a trusted constant) lies in `range`. */
export function inRange(column: string, range: IdRange): Prisma.Sql {
  const key = Prisma.raw(column);
  const after = range.afterId === null ? Prisma.sql`TRUE` : Prisma.sql`${key} > ${range.afterId}`;
  const through =
    range.throughId === null ? Prisma.sql`TRUE` : Prisma.sql`${key} <= ${range.throughId}`;
  return Prisma.sql`(${after} AND ${through})`;
}

/** An output table a shard fills by ranges of its key column (trusted constants). */
export interface RangedTable {
  readonly table: string;
  /** The column the ranges cut, leading the primary key. */
  readonly key: string;
}

/**
 * Empties the shard's range of the table's rebuild copy: what an earlier attempt of the same
 * shard wrote there (a retry starts clean).
 */
export function clearRange(db: Sql, t: RangedTable, range: IdRange): Promise<number> {
  const copy = Prisma.raw(rebuildCopyOf(t.table));
  return db.$executeRaw`DELETE FROM ${copy} WHERE ${inRange(t.key, range)}`;
}

/**
 * Copies the rows of `keys` from the table into its rebuild copy as they are: rows a run keeps
 * without rewriting them (an item that could not be scored keeps its row, as in place).
 */
export function carryOver(db: Sql, t: RangedTable, keys: readonly string[]): Promise<number> {
  if (keys.length === 0) return Promise.resolve(0);
  const copy = Prisma.raw(rebuildCopyOf(t.table));
  return db.$executeRaw`
    INSERT INTO ${copy} SELECT * FROM ${Prisma.raw(t.table)} WHERE ${Prisma.raw(t.key)} = ANY(${[...keys]}::text[])`;
}

/**
 * Copies the rows of the shard's range that it did not write from the table into its rebuild
 * copy as they are: the rows a run in place would have left alone (items it could not score,
 * or did not select).
 */
export function carryOverUnwritten(db: Sql, t: RangedTable, range: IdRange): Promise<number> {
  const copy = Prisma.raw(rebuildCopyOf(t.table));
  const key = Prisma.raw(t.key);
  return db.$executeRaw`
    INSERT INTO ${copy} SELECT * FROM ${Prisma.raw(t.table)} r
    WHERE ${inRange(`r.${t.key}`, range)}
      AND NOT EXISTS (SELECT 1 FROM ${copy} c WHERE c.${key} = r.${key})`;
}

/** Config key `shardSize`: the items (users, posts) per shard of a full run; the last may hold fewer. */
export const shardSizeOf = (defaultSize: number) =>
  z.number().int().positive().default(defaultSize);

/**
 * Notes a shard's part of a list the run merges (a dry run's top rows): under a key of its own
 * per shard, since `distribute` keeps only the last shard's value of a key that is not a number.
 */
export function noteShardPart(ctx: JobContext<unknown>, key: string, part: readonly unknown[]) {
  ctx.note(`${key}.${ctx.shard?.index ?? 0}`, part);
}

/** Every shard's part noted under `key` (see {@link noteShardPart}), concatenated. */
export function shardParts<T>(outcome: ShardOutcome, key: string): T[] {
  return Object.entries(outcome.notes)
    .filter(([name]) => name.startsWith(`${key}.`))
    .flatMap(([, part]) => part as T[]);
}

/** A summed number `distribute` returns (0 when no shard noted it). */
export const summed = (outcome: ShardOutcome, key: string): number => {
  const value = outcome.notes[key];
  return typeof value === "number" ? value : 0;
};
