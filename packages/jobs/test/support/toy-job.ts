import type { Database } from "@feed-jobs/db";
import { rebuildCopyOf } from "@feed-jobs/db";
import { z } from "zod";
import { defineJob, type ShardSpec } from "../../src/index.ts";

/**
 * A small sharded job for the shard tests: doubles the values of `toy_items` into `toy_scores`,
 * rebuilt by its full runs; items with a negative value are excluded. Config switches make one
 * shard fail (always, or once) or the validation refuse the copy.
 */

export const TOY_TABLE = "toy_scores";

const config = z.strictObject({
  shardSize: z.number().int().positive().default(3),
  /** This shard throws on every attempt. */
  failShard: z.number().int().nullable().default(null),
  /** This shard waits at its first checkpoint until its attempt is superseded or stopped. */
  stallShard: z.number().int().nullable().default(null),
  failValidation: z.boolean().default(false),
});

interface ToyRow {
  id: number;
  doubled: number;
  version: string;
}

export async function createToyTables(db: Database, items: number): Promise<void> {
  await db.prisma.$executeRawUnsafe(
    "CREATE TABLE toy_items (id int PRIMARY KEY, value int NOT NULL)",
  );
  await db.prisma.$executeRawUnsafe(
    "CREATE TABLE toy_scores (id int PRIMARY KEY, doubled int NOT NULL, version text NOT NULL)",
  );
  await db.prisma.$executeRawUnsafe(
    "INSERT INTO toy_items SELECT i, CASE WHEN i % 5 = 0 THEN -i ELSE i END FROM generate_series(1, $1::int) i",
    items,
  );
}

export const toyScores = (db: Database) =>
  db.prisma.$queryRawUnsafe<ToyRow[]>("SELECT id, doubled, version FROM toy_scores ORDER BY id");

export const copyExists = async (db: Database) => {
  const rows = await db.prisma.$queryRawUnsafe<{ found: string | null }[]>(
    "SELECT to_regclass($1)::text AS found",
    rebuildCopyOf(TOY_TABLE),
  );
  return rows[0]?.found != null;
};

export const toyJob = defineJob({
  name: "toy-shards",
  description: "doubles toy items, sharded",
  algorithmVersion: "toy-1",
  schedules: [],
  config,
  budget: { maxRowsScanned: 1_000, maxRowsWritten: 1_000, maxRuntimeMs: 60_000 },
  accepts: ["mode"],
  rebuilds: [TOY_TABLE],
  async run(ctx) {
    const [last] = await ctx.db.prisma.$queryRawUnsafe<{ max: number }[]>(
      "SELECT coalesce(max(id), 0)::int AS max FROM toy_items",
    );
    const max = last?.max ?? 0;
    const specs: ShardSpec[] = [];
    for (let fromId = 1; fromId <= max; fromId += ctx.config.shardSize) {
      specs.push({ fromId, toId: Math.min(max, fromId + ctx.config.shardSize - 1) });
    }
    ctx.setTotal(max);
    const outcome = await ctx.distribute(specs);
    ctx.note("plannedShards", outcome.shards);
    return outcome;
  },
  async shard(ctx, spec) {
    const { fromId, toId } = spec as { fromId: number; toId: number };
    const index = ctx.shard?.index;
    if (index === ctx.config.failShard) throw new Error(`toy shard ${index} always fails`);
    if (index === ctx.config.stallShard && ctx.shard?.attempt === 1) {
      for (;;) {
        await ctx.checkpoint();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    await ctx.checkpoint();
    const items = await ctx.db.prisma.$queryRawUnsafe<{ id: number; value: number }[]>(
      "SELECT id, value FROM toy_items WHERE id BETWEEN $1 AND $2 ORDER BY id",
      fromId,
      toId,
    );
    ctx.scanned(items.length);
    const rows = items
      .filter((item) => item.value >= 0)
      .map((item) => ({ id: item.id, doubled: 2 * item.value, version: ctx.algorithmVersion }));
    ctx.excluded("negative", items.length - rows.length);
    ctx.note("doubled", rows.length);
    ctx.note("lastRange", `${fromId}-${toId}`);
    if (ctx.options.dryRun) {
      ctx.collect?.(rows);
    } else {
      const copy = rebuildCopyOf(TOY_TABLE);
      await ctx.db.prisma.$executeRawUnsafe(
        `DELETE FROM ${copy} WHERE id BETWEEN $1 AND $2`,
        fromId,
        toId,
      );
      for (const row of rows) {
        await ctx.db.prisma.$executeRawUnsafe(
          `INSERT INTO ${copy} (id, doubled, version) VALUES ($1, $2, $3)`,
          row.id,
          row.doubled,
          row.version,
        );
      }
      ctx.written(rows.length);
    }
    ctx.processed(rows.length);
    await ctx.checkpoint();
  },
  async validateRebuild(ctx) {
    if (ctx.config.failValidation) throw new Error("toy validation refuses the copy");
  },
});
