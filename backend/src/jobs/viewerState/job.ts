import { FEED_POLICY } from "@feed-jobs/feed";
import { defineJob, type JobContext } from "@feed-jobs/jobs";
import { z } from "zod";
import {
  countIneligibleInputs,
  eligibleUserIds,
  removeRowsOfIneligiblePeople,
} from "../eligibility.ts";
import {
  type ComputedState,
  previewStates,
  STATES,
  type StateQuery,
  userExists,
  viewersDue,
  writeStates,
} from "./queries.ts";

const MS_PER_DAY = 86_400_000;

const count = z.number().int().positive();

const config = z.strictObject({
  /** Viewers per batch (one statement each). Default 500. */
  batchSize: count.default(500),
  /**
   * Seen and hidden posts are kept for this many days. At least the feed's candidate window
   * (a post seen earlier than that is older than any candidate). Default 7.
   */
  windowDays: count.min(FEED_POLICY.windowDays).default(FEED_POLICY.windowDays),
  /** Most recently seen posts kept per viewer. Default 1000. */
  maxSeenPosts: count.default(1000),
  /** Viewers a dry run prints, most excluded creators first. Default 5. */
  previewSize: count.default(5),
});

type ViewerStateConfig = z.infer<typeof config>;
type Mode = "full" | "incremental" | "user";

/** 100k viewers: every negative signal ever and a week of "seen" events read once. */
const budget = { maxRowsScanned: 20_000_000, maxRowsWritten: 200_000, maxRuntimeMs: 120_000 };

async function selectViewers(ctx: JobContext<ViewerStateConfig>, mode: Mode): Promise<string[]> {
  const { userId } = ctx.options;
  if (userId !== undefined) {
    if (!(await userExists(ctx.db.prisma, userId))) throw new Error(`no user with id "${userId}"`);
    return (await countIneligibleInputs(ctx, userId)) === null ? [userId] : [];
  }
  await countIneligibleInputs(ctx);
  if (mode === "full") return eligibleUserIds(ctx.db.prisma, ctx.now);
  return viewersDue(ctx.db.prisma, ctx.now, ctx.algorithmVersion);
}

/** The `size` states with most excluded creators (ties: most seen posts, then viewer id). */
function mostExcluded(states: readonly ComputedState[], size: number): ComputedState[] {
  return [...states]
    .sort(
      (a, b) =>
        b.excluded_creators - a.excluded_creators ||
        b.seen_posts - a.seen_posts ||
        (a.viewer_id < b.viewer_id ? -1 : 1),
    )
    .slice(0, size);
}

/** A state as printed: counts, and the id lists for a one-user run. */
const present = (s: ComputedState) => ({
  viewerId: s.viewer_id,
  excludedCreators: s.excluded_creators,
  hiddenPosts: s.hidden_posts,
  seenPosts: s.seen_posts,
  ...(s.excluded_creator_ids ? { excludedCreatorIds: s.excluded_creator_ids } : {}),
  ...(s.hidden_post_ids ? { hiddenPostIds: s.hidden_post_ids } : {}),
  ...(s.seen_post_ids ? { seenPostIds: s.seen_post_ids } : {}),
});

/**
 * What the feed needs from each viewer's engagement, so that it never reads the engagement
 * log at request time (seed "Feed Integration Rules", "Negative Signals"): creators to exclude
 * (blocked, reported or hidden by the viewer; blocking or reporting the viewer), posts the
 * viewer hid, and posts the viewer has seen (seed "Freshness & Penalties"), both bounded to
 * the feed's candidate window. Full: every eligible user (the shared rule; every run first
 * removes the states of the others). Incremental (every 15 minutes): users
 * without a state or with a new signal since it; events that arrive late (occurred before the
 * state but stored after it) are picked up by the nightly full run. Set-based per batch.
 */
export const viewerStateJob = defineJob({
  name: "viewer-state",
  description:
    "Each viewer's excluded creators, hidden posts and recently seen posts, so the feed never reads the engagement log.",
  algorithmVersion: "viewer-state-v1",
  schedules: [
    { label: "every-15-min", cron: "*/15 * * * *", options: { mode: "incremental" } },
    { label: "nightly", cron: "45 2 * * *", options: { mode: "full" } },
  ],
  config,
  budget,
  accepts: ["userId", "mode"],
  async run(ctx) {
    const { config: c, now } = ctx;
    const mode: Mode = ctx.options.userId ? "user" : (ctx.options.mode ?? "full");
    ctx.note("mode", mode);
    const removed = ctx.options.dryRun
      ? 0
      : await removeRowsOfIneligiblePeople(ctx.db.prisma, STATES, now, ctx.options.userId ?? null);
    ctx.written(removed);
    ctx.note("statesOfIneligibleRemoved", removed);
    const viewers = await selectViewers(ctx, mode);
    ctx.setTotal(viewers.length);
    const query: StateQuery = {
      now,
      windowStart: new Date(now.getTime() - c.windowDays * MS_PER_DAY),
      maxSeenPosts: c.maxSeenPosts,
    };
    const withIds = mode === "user";
    const totals = { viewers: viewers.length, excludedCreators: 0, hiddenPosts: 0, seenPosts: 0 };
    let preview: ComputedState[] = [];
    for (let i = 0; i < viewers.length; i += c.batchSize) {
      await ctx.checkpoint();
      const batch = viewers.slice(i, i + c.batchSize);
      const states = ctx.options.dryRun
        ? await previewStates(ctx.db.prisma, batch, query, withIds)
        : await writeStates(ctx.db.prisma, batch, query, withIds, ctx.algorithmVersion);
      for (const state of states) {
        totals.excludedCreators += state.excluded_creators;
        totals.hiddenPosts += state.hidden_posts;
        totals.seenPosts += state.seen_posts;
        ctx.scanned(state.events_read);
      }
      if (!ctx.options.dryRun) ctx.written(states.length);
      ctx.processed(states.length);
      if (ctx.options.dryRun || withIds) {
        preview = mostExcluded([...preview, ...states], c.previewSize);
      }
    }
    return {
      mode,
      ...totals,
      ...(ctx.options.dryRun ? { dryRun: true } : {}),
      ...(preview.length > 0 ? { preview: preview.map(present) } : {}),
    };
  },
});
