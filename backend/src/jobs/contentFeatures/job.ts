import { defineJob, type JobContext } from "@feed-jobs/jobs";
import { chunk, forEachBounded } from "../bounded.ts";
import { emptyTally, scoreBatch } from "./batch.ts";
import {
  CONTENT_FEATURES_V2,
  CONTENT_FEATURES_V3,
  config,
  settingsOf,
  settingsTag,
} from "./config.ts";
import {
  authorIneligibleReason,
  removeFeaturesOfUnservedPosts,
  selectPostsToScore,
} from "./queries.ts";

export const contentFeaturesJob = defineJob({
  name: "content-features",
  description:
    "Topics, quality, nsfw and sentiment per post (PostFeatures): one post on creation (--post-id), hourly for new, edited, newly reported and never-scored posts and those of another version or settings, --all to recompute everything.",
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
  async run(ctx) {
    const postId = ctx.options.postId ?? null;
    // A full-mode run (eval's replay of the past, computeAsOf) computes every post, as --all does.
    const force = ctx.options.all === true || ctx.options.mode === "full";
    const mode = postId !== null ? "post" : force ? "all" : "changed";
    const settings = settingsOf(ctx.config, ctx.algorithmVersion);
    const selection =
      postId !== null
        ? await onePost(ctx, postId)
        : await selectPostsToScore(ctx.db.prisma, {
            now: ctx.now,
            algorithmVersion: ctx.algorithmVersion,
            settingsTag: settingsTag(settings, ctx.algorithmVersion),
            all: force,
          });
    const { ids } = selection;
    for (const [reason, n] of Object.entries(selection.ineligibleAuthors)) ctx.excluded(reason, n);
    ctx.setTotal(ids.length);
    const tally = emptyTally();
    await forEachBounded(
      chunk(ids, ctx.config.batchSize),
      ctx.config.concurrency,
      async (batch) => {
        await ctx.checkpoint();
        await scoreBatch(ctx, batch, settings, force, tally);
      },
    );
    const removed = ctx.options.dryRun
      ? { deletedPosts: 0, ineligibleAuthors: 0 }
      : await removeFeaturesOfUnservedPosts(ctx.db.prisma, ctx.now, postId);
    ctx.written(removed.deletedPosts + removed.ineligibleAuthors);
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
});

/** The real-time path's one post, unless its author is not eligible (skipped and counted). */
async function onePost(ctx: JobContext<unknown>, postId: string) {
  const reason = await authorIneligibleReason(ctx.db.prisma, postId, ctx.now);
  if (reason === null) return { ids: [postId], ineligibleAuthors: {} };
  ctx.log(`${postId}: its author is not eligible (${reason}): skipped, not scored`);
  return { ids: [], ineligibleAuthors: { [reason]: 1 } };
}
