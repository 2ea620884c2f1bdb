import { type Database, rebuildCopyOf } from "@feed-jobs/db";
import { defineJob, type ShardSpec } from "@feed-jobs/jobs";
import { z } from "zod";

/**
 * A small sharded job ticking every other second, for schedulers and workers sharing one
 * database: each run rebuilds `tick_scores` from `tick_items` in shards of `shardSize` items,
 * each row stamped with the run's clock.
 */

export const TICK_ITEMS = 9;
export const TICK_SHARD_SIZE = 3;
const SCORES = "tick_scores";

export async function createTickTables(db: Database): Promise<void> {
  await db.prisma.$executeRawUnsafe("CREATE TABLE tick_items (id int PRIMARY KEY)");
  await db.prisma.$executeRawUnsafe(
    `CREATE TABLE ${SCORES} (id int PRIMARY KEY, as_of timestamptz NOT NULL)`,
  );
  await db.prisma.$executeRawUnsafe(
    "INSERT INTO tick_items SELECT generate_series(1, $1::int)",
    TICK_ITEMS,
  );
}

export const tickScores = (db: Database) =>
  db.prisma.$queryRawUnsafe<{ id: number; as_of: Date }[]>(
    `SELECT id, as_of FROM ${SCORES} ORDER BY id`,
  );

export const tickShardsJob = defineJob({
  name: "tick-shards",
  description: "stamps toy items with the run's clock, sharded",
  algorithmVersion: "t1",
  schedules: [{ label: "every-2-seconds", cron: "*/2 * * * * *" }],
  config: z.strictObject({ shardSize: z.number().int().positive().default(TICK_SHARD_SIZE) }),
  budget: { maxRowsScanned: 1_000, maxRowsWritten: 1_000, maxRuntimeMs: 60_000 },
  accepts: [],
  rebuilds: [SCORES],
  async run(ctx) {
    const specs: ShardSpec[] = [];
    for (let fromId = 1; fromId <= TICK_ITEMS; fromId += ctx.config.shardSize) {
      specs.push({ fromId, toId: Math.min(TICK_ITEMS, fromId + ctx.config.shardSize - 1) });
    }
    ctx.setTotal(TICK_ITEMS);
    return ctx.distribute(specs);
  },
  async shard(ctx, spec) {
    const { fromId, toId } = spec as { fromId: number; toId: number };
    await ctx.checkpoint();
    const written = await ctx.db.prisma.$executeRawUnsafe(
      `INSERT INTO ${rebuildCopyOf(SCORES)} (id, as_of)
       SELECT id, $3::timestamptz FROM tick_items WHERE id BETWEEN $1 AND $2`,
      fromId,
      toId,
      ctx.now,
    );
    ctx.written(written);
    ctx.processed(written);
  },
});
