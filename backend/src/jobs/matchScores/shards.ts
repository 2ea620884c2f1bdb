import type { JobContext, ShardSpec } from "@feed-jobs/jobs";
import { z } from "zod";
import type { ScoredList } from "./batch.ts";
import { clockOf, type MatchScoresConfig } from "./config.ts";
import { loadReachable } from "./profiles.ts";
import { batchSetup, type CandidateSearch, scoreViewers } from "./score-viewers.ts";
import { clearFromRebuild } from "./write-queries.ts";
import { openListWriter } from "./writer.ts";

/** One shard of a full run, as the run planned it (JSON: it travels in the queue). */
const matchShard = z.strictObject({
  /** Its viewers, in place order. */
  viewerIds: z.array(z.string()).min(1),
  /** Those of them who cannot be placed (an empty list each), as the run counted them. */
  unplaceable: z.array(z.string()),
  /** The run's candidate search: every shard searches the same way. */
  search: z.enum(["memory", "pgvector", "exact"]),
});
type MatchShard = z.infer<typeof matchShard>;

/**
 * A full run's shards: its viewers (in place order, see `eligibleViewerIds`) in runs of
 * `shardSize`, so that each shard's viewers seek the same people in the same region and the
 * shard holds only the population they can reach.
 */
export function planShards(
  viewerIds: readonly string[],
  unplaceable: ReadonlySet<string>,
  search: CandidateSearch,
  shardSize: number,
): MatchShard[] {
  const shards: MatchShard[] = [];
  for (let i = 0; i < viewerIds.length; i += shardSize) {
    const ids = viewerIds.slice(i, i + shardSize);
    shards.push({ viewerIds: ids, unplaceable: ids.filter((id) => unplaceable.has(id)), search });
  }
  return shards;
}

function parseShard(spec: ShardSpec): MatchShard {
  const parsed = matchShard.safeParse(spec);
  if (parsed.success) return parsed.data;
  throw new Error(`match-scores: not a shard of a full run (${parsed.error.message})`);
}

/** What a dry run prints: a viewer's top candidates. */
export const sampleOf = (list: ScoredList | undefined, topN: number) =>
  list && { viewerId: list.viewerId, top: list.candidates.slice(0, topN) };

/**
 * Scores one shard's viewers into the rebuild copies, after removing what an earlier attempt
 * of it wrote there. Searching in memory, it holds only the population its viewers can reach
 * (`loadReachable`): the same pools as the whole population's, within a shard's memory.
 */
export async function scoreShard(ctx: JobContext<MatchScoresConfig>, spec: ShardSpec) {
  const { db, config } = ctx;
  const { viewerIds, unplaceable, search } = parseShard(spec);
  const population =
    search === "memory"
      ? await loadReachable(db.prisma, clockOf(ctx.now, config), viewerIds)
      : undefined;
  if (population) {
    ctx.scanned(population.profiles.size);
    ctx.log(`${population.profiles.size} profiles within reach of the shard's viewers`);
  }
  const setup = batchSetup(ctx, search, population, new Set(unplaceable));
  const dryRun = ctx.options.dryRun === true;
  if (!dryRun) ctx.written(await clearFromRebuild(db.prisma, viewerIds));
  const stamp = { computedAt: ctx.now, algorithmVersion: ctx.algorithmVersion };
  const writer = dryRun
    ? undefined
    : openListWriter(db, stamp, { into: "copies", written: ctx.written });
  const { first } = await scoreViewers(ctx, setup, viewerIds, writer);
  if (dryRun && first) ctx.note("sample", sampleOf(first, config.topN));
}
