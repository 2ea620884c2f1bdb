import { defineJob, type JobContext, lastCompleteRunAsOf } from "@feed-jobs/jobs";
import {
  type AffinityProfile,
  DEFAULT_RECENCY_DECAY_FACTOR,
  DEFAULT_AFFINITY_SETTINGS as SETTINGS,
  DEFAULT_AFFINITY_V2_PARAMS as V2,
  DEFAULT_SIGNAL_WEIGHTS as WEIGHTS,
} from "@feed-jobs/scoring/affinity";
import { z } from "zod";
import {
  assertNoRowsOfIneligiblePeople,
  countIneligibleInputs,
  eligibleUserIds,
  removeRowsOfIneligiblePeople,
} from "../eligibility.ts";
import { readsStoredInputs } from "../run-inputs.ts";
import {
  clearRange,
  eligibleUserRanges,
  idRangeOf,
  noteShardPart,
  shardParts,
  shardSizeOf,
  summed,
} from "../shards.ts";
import { type BatchPlan, CreatorBook, processBatch } from "./batch.ts";
import { PostTopicBook } from "./post-topics.ts";
import {
  countActionsByIneligible,
  countPopulation,
  existingUserIds,
  PROFILES,
  PROFILES_BY_USER,
  usersDueForUpdate,
} from "./queries.ts";
import { aggregateCreators, readStoredCreators, storeCreatorAudiences } from "./signal-queries.ts";
import type { LookbackWindow } from "./sql.ts";

const JOB_NAME = "affinity";
export const AFFINITY_V1 = "affinity-v1";
export const AFFINITY_V2 = "affinity-v2";
const MS_PER_DAY = 86_400_000;

const count = z.number().int().positive();
const weight = z.number().nonnegative();
const decayFactor = z.number().positive().max(1);

const config = z.strictObject({
  /** Users scored per batch (one aggregate read and one write each). Default 500. */
  batchSize: count.default(500),
  /** Batches in flight at once (the embedded database runs them one by one). Default 2. */
  concurrency: count.max(8).default(2),
  /** Users per shard of a full run (shards run one by one, or on many workers). Default 5000. */
  shardSize: shardSizeOf(5000),
  /** History window in days. Default 90. */
  lookbackDays: count.default(SETTINGS.lookbackDays),
  /** Actions (likes, comments, shares, profile views) in the window for a profile. Default 10. */
  minInteractions: count.default(SETTINGS.minInteractions),
  /** Creators kept per profile. Default 20. */
  topCreatorsCount: count.default(SETTINGS.topCreatorsCount),
  /** Topics kept per profile. Default 30. */
  topTopicsCount: count.default(SETTINGS.topTopicsCount),
  /** Per-day weight decay of a signal with its age. Default 0.95. */
  recencyDecayFactor: decayFactor.default(DEFAULT_RECENCY_DECAY_FACTOR),
  /** Weight of an impression (item rendered). Default 0.02. */
  impressionWeight: weight.default(WEIGHTS.impression),
  /** Weight of a "seen" (item in the viewport). Default 0.1. */
  seenWeight: weight.default(WEIGHTS.seen),
  /** Weight of a profile view. Default 0.5. */
  profileViewWeight: weight.default(WEIGHTS.profileView),
  /** Weight of a like. Default 1. */
  likeWeight: weight.default(WEIGHTS.like),
  /** Weight of a comment. Default 2. */
  commentWeight: weight.default(WEIGHTS.comment),
  /** Weight of a share. Default 3. */
  shareWeight: weight.default(WEIGHTS.share),
  /** Topic weight a fresh hide takes off each topic of the hidden post. Default 3. */
  hideWeight: weight.default(SETTINGS.hideWeight),
  /** Per-day decay of a hide's penalty (long: half left after ~69 days). Default 0.99. */
  hideDecayFactor: decayFactor.default(SETTINGS.hideDecayFactor),
  /** Incremental runs recompute a profile after this many new actions. Default 100. */
  incrementalMinNewActions: count.default(100),
  /** Profiles a dry run or a one-user run prints, most active first. Default 5. */
  previewSize: count.default(5),
  /** affinity-v2's constants (`--algorithm affinity-v2`); v1 ignores them. */
  v2: z
    .strictObject({
      /** Weight of a topic mined from the caption, relative to a tag's 1. Default 0.25. */
      captionTopicWeight: z.number().min(0).max(1).default(V2.captionTopicWeight),
      /** Like-units a post the user wrote gives its topics (decayed by its age). Default 2. */
      ownPostWeight: weight.default(V2.ownPostWeight),
      /** Share of others' engagement on the user's posts that counts for the user. Default 0.25. */
      receivedWeight: weight.default(V2.receivedWeight),
      /** Actions plus own posts in the window for a profile. Default 3. */
      minInteractions: count.default(V2.minInteractions),
    })
    .prefault({}),
});

type AffinityConfig = z.infer<typeof config>;
type Mode = "full" | "incremental" | "user";

/** 100k users, ~10M events in the window (PostgreSQL): every event read once, audiences once. */
const budget = { maxRowsScanned: 25_000_000, maxRowsWritten: 200_000, maxRuntimeMs: 180_000 };

function batchPlan(
  c: AffinityConfig,
  window: LookbackWindow,
  creators: CreatorBook,
  v2: BatchPlan["v2"],
  target: BatchPlan["target"],
): BatchPlan {
  return {
    target,
    window,
    settings: {
      minInteractions: c.minInteractions,
      lookbackDays: c.lookbackDays,
      topCreatorsCount: c.topCreatorsCount,
      topTopicsCount: c.topTopicsCount,
      hideWeight: c.hideWeight,
      hideDecayFactor: c.hideDecayFactor,
    },
    weights: {
      impression: c.impressionWeight,
      seen: c.seenWeight,
      profileView: c.profileViewWeight,
      like: c.likeWeight,
      comment: c.commentWeight,
      share: c.shareWeight,
    },
    recencyDecayFactor: c.recencyDecayFactor,
    creators,
    v2,
  };
}

/** The run's cold-start threshold: the config group of its version. */
function minInteractionsOf(ctx: JobContext<AffinityConfig>): number {
  return ctx.algorithmVersion === AFFINITY_V2
    ? ctx.config.v2.minInteractions
    : ctx.config.minInteractions;
}

/** The users a run in place looks at (one user, or incremental), in id order. */
async function selectUsers(ctx: JobContext<AffinityConfig>, window: LookbackWindow) {
  const sql = ctx.db.prisma;
  const { userId } = ctx.options;
  if (userId !== undefined) {
    const found = await existingUserIds(sql, [userId]);
    if (found.length === 0) throw new Error(`no user with id "${userId}"`);
    return (await countIneligibleInputs(ctx, userId)) === null ? found : [];
  }
  await countIneligibleInputs(ctx);
  const since = (await lastCompleteRunAsOf(sql, JOB_NAME, window.now)) ?? window.start;
  ctx.note("actionsSince", since.toISOString());
  return usersDueForUpdate(sql, {
    window,
    since,
    minInteractions: minInteractionsOf(ctx),
    minNewActions: ctx.config.incrementalMinNewActions,
  });
}

/** The `size` most active profiles, most active first (ties by user id). */
function mostActive(profiles: readonly AffinityProfile[], size: number): AffinityProfile[] {
  return [...profiles]
    .sort((a, b) => b.interactionCount - a.interactionCount || (a.userId < b.userId ? -1 : 1))
    .slice(0, size);
}

interface Totals {
  profiles: number;
  withoutProfile: number;
  upserted: number;
  removed: number;
}

const TOTAL_KEYS = ["profiles", "withoutProfile", "upserted", "removed"] as const;
const noTotals = (): Totals => ({ profiles: 0, withoutProfile: 0, upserted: 0, removed: 0 });

/**
 * Scores `userIds` in batches, `concurrency` of them in flight (each on its own connection
 * on PostgreSQL), checking for cancellation before each. After a failure no batch starts;
 * the first error is rethrown once the batches in flight have ended. `onIneligibleActions`:
 * told the actions of ineligible people each creator load left out of audiences.
 */
async function scoreUsers(
  ctx: JobContext<AffinityConfig>,
  window: LookbackWindow,
  userIds: readonly string[],
  target: BatchPlan["target"],
  onIneligibleActions: (count: number) => void,
) {
  const totals = noTotals();
  let preview: AffinityProfile[] = [];
  if (userIds.length === 0) return { totals, preview };
  const { batchSize, concurrency, previewSize } = ctx.config;
  const population = await countPopulation(ctx.db.prisma);
  const creators = new CreatorBook(
    creatorSource(ctx, window, target),
    population,
    onIneligibleActions,
  );
  const v2 =
    ctx.algorithmVersion === AFFINITY_V2
      ? { params: ctx.config.v2, posts: new PostTopicBook(ctx.db.prisma) }
      : null;
  const plan = batchPlan(ctx.config, window, creators, v2, target);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < userIds.length) {
      const batch = userIds.slice(next, next + batchSize);
      next += batchSize;
      try {
        await ctx.checkpoint();
        const outcome = await processBatch(ctx, plan, batch);
        totals.profiles += outcome.profiles.length;
        totals.withoutProfile += outcome.withoutProfile;
        totals.upserted += outcome.upserted;
        totals.removed += outcome.removed;
        preview = mostActive([...preview, ...outcome.profiles], previewSize);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (failure) throw failure.error;
  return { totals, preview };
}

/**
 * Where a batch's creator audiences come from: a full run's shard reads those its run stored
 * before distributing them (storeCreatorAudiences); a run in place, and a dry run, which
 * writes nothing, aggregate them from the engagements.
 */
function creatorSource(
  ctx: JobContext<AffinityConfig>,
  window: LookbackWindow,
  target: BatchPlan["target"],
) {
  const sql = ctx.db.prisma;
  if (readsStoredInputs(ctx, target)) {
    return (creatorIds: readonly string[]) => readStoredCreators(sql, creatorIds);
  }
  return (creatorIds: readonly string[]) => aggregateCreators(sql, creatorIds, window);
}

const windowOf = (ctx: JobContext<AffinityConfig>): LookbackWindow => ({
  start: new Date(ctx.now.getTime() - ctx.config.lookbackDays * MS_PER_DAY),
  now: ctx.now,
});

/**
 * A full run: every eligible user, in shards of `shardSize` users by id, each writing its
 * users' profiles into the rebuild copy, swapped in once all are done. The actions of
 * ineligible people are counted here once for every creator: shards would count a creator
 * they share once each.
 */
async function runSharded(ctx: JobContext<AffinityConfig>, window: LookbackWindow) {
  await countIneligibleInputs(ctx);
  ctx.excluded("actionsByIneligible", await countActionsByIneligible(ctx.db.prisma, window));
  const { count, ranges } = await eligibleUserRanges(ctx.db.prisma, ctx.now, ctx.config.shardSize);
  ctx.setTotal(count);
  if (!ctx.options.dryRun) ctx.scanned(await storeCreatorAudiences(ctx.db.prisma, window));
  const outcome = await ctx.distribute(ranges);
  const totals = noTotals();
  for (const key of TOTAL_KEYS) totals[key] = summed(outcome, key);
  const preview = mostActive(
    shardParts<AffinityProfile>(outcome, "preview"),
    ctx.config.previewSize,
  );
  return { users: count, totals, preview };
}

/** One user's run or an incremental one, written in place. */
async function runInPlace(ctx: JobContext<AffinityConfig>, window: LookbackWindow) {
  const userIds = await selectUsers(ctx, window);
  ctx.setTotal(userIds.length);
  const scored = await scoreUsers(ctx, window, userIds, "in place", (n) =>
    ctx.excluded("actionsByIneligible", n),
  );
  return { users: userIds.length, ...scored };
}

/**
 * Seed "Job 5": each user's top creators (TF-IDF over creator audiences), topics and content
 * type shares from 90 days of weighted, decayed signals; see @feed-jobs/scoring/affinity.
 * Full: every eligible user (profiles of users now below minInteractions are removed).
 * Incremental: users with 100+ new actions since their profile, or newly at minInteractions.
 * Every run first removes the profiles of users who are not eligible (the shared rule), and
 * an ineligible creator is never among a profile's top creators.
 */
export const affinityJob = defineJob({
  name: JOB_NAME,
  description:
    "Each user's top creators, topics, content-type shares, velocity and exploration from 90 days of weighted engagement.",
  algorithmVersion: AFFINITY_V1,
  algorithms: {
    [AFFINITY_V1]:
      "the seed's profile: decayed, type-weighted engagement; every topic of an engaged post counts in full; 10 actions for a profile",
    [AFFINITY_V2]:
      "tags above caption words, the user's own posts and the engagement they receive count, a profile from 3 actions or posts (config group v2)",
  },
  schedules: [
    { label: "daily", cron: "0 3 * * *", options: { mode: "full" } },
    { label: "incremental", cron: "30 * * * *", options: { mode: "incremental" } },
  ],
  config,
  budget,
  accepts: ["userId", "mode"],
  rebuilds: [PROFILES.table],
  async run(ctx) {
    const { now } = ctx;
    const mode: Mode = ctx.options.userId ? "user" : (ctx.options.mode ?? "full");
    const window = windowOf(ctx);
    ctx.note("mode", mode);
    const removedIneligible = ctx.options.dryRun
      ? 0
      : await removeRowsOfIneligiblePeople(
          ctx.db.prisma,
          PROFILES,
          now,
          ctx.options.userId ?? null,
        );
    ctx.written(removedIneligible);
    ctx.note("profilesOfIneligibleRemoved", removedIneligible);
    const { users, totals, preview } =
      mode === "full" ? await runSharded(ctx, window) : await runInPlace(ctx, window);
    ctx.note("withoutProfile", totals.withoutProfile);
    ctx.note("profilesRemoved", totals.removed);
    const dryRun = ctx.options.dryRun === true;
    return {
      mode,
      users,
      ...totals,
      ...(dryRun ? { dryRun } : {}),
      ...(dryRun || mode === "user" ? { preview } : {}),
    };
  },
  async shard(ctx, spec) {
    const range = idRangeOf(spec);
    if (!ctx.options.dryRun) await clearRange(ctx.db.prisma, PROFILES_BY_USER, range);
    const userIds = await eligibleUserIds(ctx.db.prisma, ctx.now, range);
    const { totals, preview } = await scoreUsers(ctx, windowOf(ctx), userIds, "rebuild", () => {});
    for (const key of TOTAL_KEYS) ctx.note(key, totals[key]);
    if (ctx.options.dryRun) noteShardPart(ctx, "preview", preview);
  },
  async validateRebuild(ctx) {
    await assertNoRowsOfIneligiblePeople(ctx.db.prisma, PROFILES, ctx.now);
  },
});
