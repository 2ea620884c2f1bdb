import { defineJob, type JobContext } from "@feed-jobs/jobs";
import { chunk, forEachBounded } from "../bounded.ts";
import {
  carryOverUnwritten,
  clearRange,
  type IdRange,
  idRangeOf,
  noteShardPart,
  rangesOf,
  shardParts,
  summed,
} from "../shards.ts";
import {
  type BatchWrite,
  emptyTally,
  firstById,
  type PostSummary,
  scoreBatch,
  TALLY_COUNTS,
  type Tally,
} from "./batch.ts";
import {
  CONTENT_FEATURES_V2,
  CONTENT_FEATURES_V3,
  type ContentFeaturesConfig,
  config,
  settingsOf,
  settingsTag,
} from "./config.ts";
import {
  assertOnlyServedPosts,
  authorIneligibleReason,
  FEATURES,
  FEATURES_BY_POST,
  removeFeaturesOfUnservedPosts,
  selectPostsToScore,
} from "./queries.ts";

export const contentFeaturesJob = defineJob({
  name: "content-features",
  description:
    "Topics, quality, nsfw and sentiment per post (PostFeatures): one post on creation (--post-id), hourly for new, edited, newly reported and never-scored posts and those of another version or settings, --all to recompute everything (in shards of shardSize posts).",
  algorithmVersion: CONTENT_FEATURES_V2,
  algorithms: {
    [CONTENT_FEATURES_V2]:
      "topics from tags (3 each) and caption words (1 per mention), heaviest first; quality, nsfw, sentiment",
    [CONTENT_FEATURES_V3]:
      "v2 with every tag ranked above caption words, and at most v3.maxCaptionTopics caption words (config group v3)",
  },
  schedules: [{ label: "hourly", cron: "0 * * * *" }],
  config,
  // A full run at 100k users (~300k posts) reads and writes each post once; hourly runs far less.
  budget: { maxRowsScanned: 400_000, maxRowsWritten: 400_000, maxRuntimeMs: 600_000 },
  accepts: ["postId", "all"],
  rebuilds: [FEATURES],
  async run(ctx) {
    const postId = ctx.options.postId ?? null;
    // A full-mode run (eval's replay of the past, computeAsOf) computes every post, as --all does.
    const force = ctx.options.all === true || ctx.options.mode === "full";
    const mode = postId !== null ? "post" : force ? "all" : "changed";
    // First, so that a full run's shards carry none of these rows into the new table.
    const removed = ctx.options.dryRun
      ? { deletedPosts: 0, ineligibleAuthors: 0 }
      : await removeFeaturesOfUnservedPosts(ctx.db.prisma, ctx.now, postId);
    ctx.written(removed.deletedPosts + removed.ineligibleAuthors);
    const selection =
      postId !== null ? await onePost(ctx, postId) : await selectPosts(ctx, { all: force });
    const { ids } = selection;
    for (const [reason, n] of Object.entries(selection.ineligibleAuthors)) ctx.excluded(reason, n);
    ctx.setTotal(ids.length);
    const tally =
      mode === "all"
        ? await runSharded(ctx, ids)
        : await scorePosts(ctx, ids, { force, target: "in place" });
    const { sample, ...counts } = tally;
    const summary = {
      mode,
      selected: ids.length,
      ...counts,
      removedDeleted: removed.deletedPosts,
      removedOfIneligibleAuthors: removed.ineligibleAuthors,
    };
    for (const [key, value] of Object.entries(summary)) ctx.note(key, value);
    if (postId !== null) return { ...summary, post: sample[0] ?? null };
    return ctx.options.dryRun ? { ...summary, dryRun: true, sample } : summary;
  },
  async shard(ctx, spec) {
    const range = idRangeOf(spec);
    const sql = ctx.db.prisma;
    if (!ctx.options.dryRun) await clearRange(sql, FEATURES_BY_POST, range);
    const { ids } = await selectPosts(ctx, { all: true, range });
    const tally = await scorePosts(ctx, ids, { force: true, target: "rebuild" });
    // What a run in place leaves alone: rows of posts it could not score or did not select
    // (created after its clock).
    if (!ctx.options.dryRun) await carryOverUnwritten(sql, FEATURES_BY_POST, range);
    for (const key of TALLY_COUNTS) ctx.note(key, tally[key]);
    if (ctx.options.dryRun) noteShardPart(ctx, "sample", tally.sample);
  },
  async validateRebuild(ctx) {
    await assertOnlyServedPosts(ctx.db.prisma, ctx.now);
  },
});

type Ctx = JobContext<ContentFeaturesConfig>;

/** The posts to score (`all`: every live one) of the whole table or of a shard's `range`. */
function selectPosts(ctx: Ctx, q: { all: boolean; range?: IdRange }) {
  const settings = settingsOf(ctx.config, ctx.algorithmVersion);
  return selectPostsToScore(ctx.db.prisma, {
    now: ctx.now,
    algorithmVersion: ctx.algorithmVersion,
    settingsTag: settingsTag(settings, ctx.algorithmVersion),
    ...q,
  });
}

/** Scores `ids` in batches, a bounded pool of them in flight. */
async function scorePosts(ctx: Ctx, ids: readonly string[], how: BatchWrite): Promise<Tally> {
  const settings = settingsOf(ctx.config, ctx.algorithmVersion);
  const tally = emptyTally();
  await forEachBounded(chunk(ids, ctx.config.batchSize), ctx.config.concurrency, async (batch) => {
    await ctx.checkpoint();
    await scoreBatch(ctx, batch, settings, how, tally);
  });
  return tally;
}

/**
 * A full run (--all, or mode full): every selected post, recomputed, in shards of `shardSize`
 * posts by id, each writing into the rebuild copy, swapped in once all are done.
 */
async function runSharded(ctx: Ctx, ids: readonly string[]): Promise<Tally> {
  const outcome = await ctx.distribute(rangesOf(ids, ctx.config.shardSize));
  const tally = emptyTally();
  for (const key of TALLY_COUNTS) tally[key] = summed(outcome, key);
  tally.sample = firstById(shardParts<PostSummary>(outcome, "sample"));
  return tally;
}

/** The real-time path's one post, unless its author is not eligible (skipped and counted). */
async function onePost(ctx: JobContext<unknown>, postId: string) {
  const reason = await authorIneligibleReason(ctx.db.prisma, postId, ctx.now);
  if (reason === null) return { ids: [postId], ineligibleAuthors: {} };
  ctx.log(`${postId}: its author is not eligible (${reason}): skipped, not scored`);
  return { ids: [], ineligibleAuthors: { [reason]: 1 } };
}
