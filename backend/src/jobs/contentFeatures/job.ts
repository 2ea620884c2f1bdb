import { defineJob, type JobContext } from "@feed-jobs/jobs";
import type { ContentSettings } from "@feed-jobs/scoring/content";
import { z } from "zod";
import { chunk, forEachBounded } from "../bounded.ts";
import { emptyTally, scoreBatch } from "./batch.ts";
import {
  authorIneligibleReason,
  removeFeaturesOfUnservedPosts,
  selectPostsToScore,
} from "./queries.ts";

const unit = z.number().min(0).max(1);

const config = z.strictObject({
  /** Posts read, scored and written together (seed). Default 50. */
  batchSize: z.number().int().positive().default(50),
  /** Batches in flight at once (a bounded pool; the embedded database serialises them). Default 4. */
  concurrency: z.number().int().positive().max(32).default(4),
  /**
   * Seed "includeImages": consult nsfw classifiers of kind "image". V1 registers none (no image
   * service yet), so this only matters once one is plugged in. Default true.
   */
  includeImages: z.boolean().default(true),
  /** Seed "embeddingModel": reserved for the V2 embeddings; V1 writes none and ignores it. */
  embeddingModel: z.string().min(1).default("all-MiniLM-L6-v2"),
  /** A post is nsfw when its combined evidence reaches this (seed). Default 0.8. */
  nsfwThreshold: unit.default(0.8),
  /** Quality below this is marked low in metadata.quality.low (seed). Default 0.3. */
  qualityThreshold: unit.default(0.3),
  /** Topics kept per post, heaviest first. Default 10. */
  maxTopics: z.number().int().positive().default(10),
  /** Caption characters analysed (Instagram's caption limit); the hash covers all. Default 2200. */
  maxCaptionChars: z.number().int().positive().default(2_200),
});

type ContentFeaturesConfig = z.infer<typeof config>;

function settingsOf(c: ContentFeaturesConfig): ContentSettings {
  return {
    maxTopics: c.maxTopics,
    nsfwThreshold: c.nsfwThreshold,
    qualityThreshold: c.qualityThreshold,
    maxCaptionChars: c.maxCaptionChars,
    includeImages: c.includeImages,
  };
}

export const contentFeaturesJob = defineJob({
  name: "content-features",
  description:
    "Topics, quality, nsfw and sentiment per post (PostFeatures): one post on creation (--post-id), hourly for new, edited, newly reported and never-scored posts, --all after an algorithm change.",
  algorithmVersion: "content-features-v2",
  schedules: [{ label: "hourly", cron: "0 * * * *" }],
  config,
  // A full run at 100k users (~300k posts) reads and writes each post once; hourly runs far less.
  budget: { maxRowsScanned: 400_000, maxRowsWritten: 400_000, maxRuntimeMs: 600_000 },
  accepts: ["postId", "all"],
  async run(ctx) {
    const postId = ctx.options.postId ?? null;
    const force = ctx.options.all === true;
    const mode = postId !== null ? "post" : force ? "all" : "changed";
    const selection =
      postId !== null
        ? await onePost(ctx, postId)
        : await selectPostsToScore(ctx.db.prisma, {
            now: ctx.now,
            algorithmVersion: ctx.algorithmVersion,
            all: force,
          });
    const { ids } = selection;
    for (const [reason, n] of Object.entries(selection.ineligibleAuthors)) ctx.excluded(reason, n);
    ctx.setTotal(ids.length);
    const settings = settingsOf(ctx.config);
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
