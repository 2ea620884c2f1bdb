import { defineJob, type JobContext, lastCompleteRunAsOf } from "@feed-jobs/jobs";
import { forEachBounded } from "../bounded.ts";
import {
  assertNoRowsOfIneligiblePeople,
  countIneligibleInputs,
  removeRowsOfIneligiblePeople,
} from "../eligibility.ts";
import { readsStoredInputs } from "../run-inputs.ts";
import {
  carryOver,
  clearRange,
  eligibleUserRanges,
  type IdRange,
  idRangeOf,
  noteShardPart,
  shardParts,
  summed,
} from "../shards.ts";
import { type CompatibilityConfig, compatibilityConfig } from "./config.ts";
import { readPairActivity } from "./pair-activity-query.ts";
import {
  type ActivityWindow,
  addViewerRowsToRebuild,
  aggregateTopicProfiles,
  COMPATIBILITY,
  COMPATIBILITY_BY_VIEWER,
  countViewers,
  nextViewers,
  readStoredTopicProfiles,
  replaceViewerRows,
  storeTopicProfiles,
  type ViewerPaging,
  viewersWithNewActivity,
} from "./queries.ts";
import { COMPATIBILITY_V1, COMPATIBILITY_V2, type ScoredPair, scorePairs } from "./score-pairs.ts";
import { TopicProfileCache } from "./topic-profiles.ts";

const JOB_NAME = "compatibility";
const DAY_MS = 86_400_000;

/**
 * At 100k users / ~10M events / 50 suggestions each: every event in the window is read about
 * twice (as actor and as target), each suggestion once (≈ 37M rows), the topic profiles
 * aggregated once (≈ 6M) and read by every batch that meets their user (≈ 22M); about 5M rows
 * written on the first run.
 */
const budget = { maxRowsScanned: 80_000_000, maxRowsWritten: 12_000_000, maxRuntimeMs: 180_000 };

type Ctx = JobContext<CompatibilityConfig>;

const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A pair as a dry run prints it. */
type TopPair = Pick<ScoredPair, "viewerId" | "targetId" | "score" | "scope">;

/** Highest score first; ties by viewer, then target. */
const byScore = (a: TopPair, b: TopPair) =>
  b.score - a.score || compareIds(a.viewerId, b.viewerId) || compareIds(a.targetId, b.targetId);

/** What a run (or a shard of one) counted: numbers, summed over shards. */
interface Counts {
  viewers: number;
  pairs: number;
  activePairs: number;
  suggestionPairs: number;
  scoreSum: number;
  rowsUpserted: number;
  rowsRemoved: number;
}

const COUNT_KEYS = [
  "viewers",
  "pairs",
  "activePairs",
  "suggestionPairs",
  "scoreSum",
  "rowsUpserted",
  "rowsRemoved",
] as const satisfies readonly (keyof Counts)[];

/** What a run returns and notes in the JobRun. */
function summaryOf(c: Counts) {
  return {
    viewers: c.viewers,
    pairs: c.pairs,
    activePairs: c.activePairs,
    suggestionPairs: c.suggestionPairs,
    meanScore: c.pairs === 0 ? null : Math.round((c.scoreSum / c.pairs) * 10_000) / 10_000,
    rowsUpserted: c.rowsUpserted,
    rowsRemoved: c.rowsRemoved,
  };
}

/** The `topN` highest pairs, as a dry run prints them. */
const topOf = (pairs: readonly TopPair[], topN: number): TopPair[] =>
  [...pairs]
    .sort(byScore)
    .slice(0, topN)
    .map(({ viewerId, targetId, score, scope }) => ({ viewerId, targetId, score, scope }));

const noCounts = (): Counts => ({
  viewers: 0,
  pairs: 0,
  activePairs: 0,
  suggestionPairs: 0,
  scoreSum: 0,
  rowsUpserted: 0,
  rowsRemoved: 0,
});

/** What a run or shard did. */
class RunTally {
  readonly counts = noCounts();
  top: ScoredPair[] = [];

  /** `topN` highest pairs are kept for the result (0: none, outside dry runs). */
  constructor(private readonly topN: number) {}

  add(pairs: readonly ScoredPair[]): void {
    for (const pair of pairs) {
      this.counts.pairs += 1;
      this.counts.scoreSum += pair.score;
      if (pair.scope.includes("suggestion")) this.counts.suggestionPairs += 1;
      if (pair.scope.some((reason) => reason !== "suggestion")) this.counts.activePairs += 1;
    }
    if (this.topN === 0) return;
    this.top = [...this.top, ...pairs].sort(byScore);
    this.top.length = Math.min(this.top.length, this.topN);
  }
}

/** Where a batch's rows go: the table itself, or (a full run's shard) its rebuild copy. */
type Target = "in place" | "rebuild";

function activityWindow(now: Date, c: CompatibilityConfig): ActivityWindow {
  return {
    from: new Date(now.getTime() - c.lookbackDays * DAY_MS),
    recentFrom: new Date(now.getTime() - c.recentDays * DAY_MS),
    now,
    messageHalfLifeDays: c.v2.messageHalfLifeDays,
  };
}

/** Reads, scores and (unless a dry run) writes one batch of viewers. */
async function processBatch(
  ctx: Ctx,
  viewers: readonly string[],
  topics: TopicProfileCache,
  tally: RunTally,
  target: Target,
): Promise<void> {
  const { db, config: c, now } = ctx;
  const window = activityWindow(now, c);
  const suggestions = { minScore: c.minScoreThreshold, limit: c.targetBatchSize };
  const activity = await readPairActivity(db.prisma, viewers, window, suggestions);
  const rows = activity.pairs;
  ctx.scanned(activity.rowsRead);
  ctx.excluded("invalidMatchScore", activity.invalidMatchScores);
  const missing = topics.missing([...viewers, ...rows.map((r) => r.target_id)]);
  if (missing.length > 0) {
    const loaded = await topics.load(missing);
    ctx.scanned(loaded.rowsRead);
    topics.store(missing, loaded.rows);
  }
  const { scored, failed } = scorePairs(rows, topics, now, c, ctx.algorithmVersion);
  for (const [viewer, error] of failed) ctx.failed(viewer, error);
  const done = viewers.filter((viewer) => !failed.has(viewer));
  if (ctx.options.dryRun) {
    ctx.collect?.(scored);
  } else {
    // A viewer that could not be scored keeps its rows, in place or carried into the copy.
    if (target === "rebuild")
      await carryOver(db.prisma, COMPATIBILITY_BY_VIEWER, [...failed.keys()]);
    const write = target === "rebuild" ? addViewerRowsToRebuild : replaceViewerRows;
    const written =
      done.length === 0
        ? { removed: 0, upserted: 0 }
        : await write(db.prisma, done, scored, now, ctx.algorithmVersion);
    ctx.written(written.removed + written.upserted);
    tally.counts.rowsUpserted += written.upserted;
    tally.counts.rowsRemoved += written.removed;
  }
  tally.counts.viewers += done.length;
  tally.add(scored);
  ctx.processed(done.length);
}

/**
 * Seed "Job 2": relationship strength from behaviour (messages, actions, shared topics,
 * trajectory) for each active viewer's active relationships and top suggestions. Rows are
 * directional (viewer → target) through scope; the score itself is symmetric.
 */
export const compatibilityJob = defineJob({
  name: JOB_NAME,
  description:
    "UserCompatibility from messages, mutual engagement, shared topics and trajectory, for active relationships and each viewer's top MatchScore suggestions; removes out-of-scope rows. --mode full (default) scores every active viewer; --mode incremental only those with new messages, actions or suggestions since the last complete run.",
  algorithmVersion: COMPATIBILITY_V1,
  algorithms: {
    [COMPATIBILITY_V1]:
      "the seed's formula: message volume × (balance, reply speed, recency), interaction, mutual interest, trajectory",
    [COMPATIBILITY_V2]:
      "recency of the last two-way contact and a decayed message count first, then interaction, mutual interest, trajectory (config group v2)",
  },
  schedules: [
    { label: "daily-full", cron: "0 3 * * *", options: { mode: "full" } },
    { label: "hourly-incremental", cron: "30 * * * *", options: { mode: "incremental" } },
  ],
  config: compatibilityConfig,
  budget,
  accepts: ["userId", "mode"],
  rebuilds: [COMPATIBILITY.table],
  async run(ctx) {
    const { db, now } = ctx;
    const userId = ctx.options.userId ?? null;
    const removed = ctx.options.dryRun
      ? 0
      : await removeRowsOfIneligiblePeople(db.prisma, COMPATIBILITY, now, userId);
    ctx.written(removed);
    const ineligible = await countIneligibleInputs(ctx, userId ?? undefined);
    if (ineligible !== null) {
      return { ...summaryOf({ ...noCounts(), rowsRemoved: removed }), skipped: ineligible };
    }
    ctx.note("mode", ctx.options.mode ?? "full");
    const result =
      userId === null && ctx.options.mode !== "incremental"
        ? await runSharded(ctx)
        : await runInPlace(ctx, userId);
    const summary = summaryOf({
      ...result.counts,
      rowsRemoved: result.counts.rowsRemoved + removed,
    });
    for (const [key, value] of Object.entries(summary)) ctx.note(key, value);
    if (!ctx.options.dryRun) return summary;
    return { ...summary, dryRun: true, top: topOf(result.top, ctx.config.topN) };
  },
  async shard(ctx, spec) {
    const range = idRangeOf(spec);
    if (!ctx.options.dryRun) await clearRange(ctx.db.prisma, COMPATIBILITY_BY_VIEWER, range);
    const tally = new RunTally(ctx.options.dryRun ? ctx.config.topN : 0);
    await scoreViewers(ctx, viewersIn(ctx, range), tally, "rebuild");
    for (const key of COUNT_KEYS) ctx.note(key, tally.counts[key]);
    if (ctx.options.dryRun) noteShardPart(ctx, "top", topOf(tally.top, ctx.config.topN));
  },
  async validateRebuild(ctx) {
    await assertNoRowsOfIneligiblePeople(ctx.db.prisma, COMPATIBILITY, ctx.now);
  },
});

/** Scores the viewers' batches, `concurrency` in flight on a PostgreSQL server. */
async function scoreViewers(
  ctx: Ctx,
  batches: AsyncIterable<string[]>,
  tally: RunTally,
  target: Target,
): Promise<void> {
  const topics = new TopicProfileCache(topicSource(ctx, target));
  // Each batch is one aggregate query on its own connection: a server runs them side by side.
  const concurrency = ctx.db.kind === "embedded" ? 1 : ctx.config.concurrency;
  await forEachBounded(batches, concurrency, async (batch) => {
    await ctx.checkpoint();
    await processBatch(ctx, batch, topics, tally, target);
  });
}

/**
 * Where a batch's topic profiles come from: a full run's shard reads those its run stored
 * before distributing them (storeTopicProfiles); a run in place, and a dry run, which writes
 * nothing, aggregate them from the engagements.
 */
function topicSource(ctx: Ctx, target: Target): TopicProfileCache["load"] {
  const { db, config: c } = ctx;
  if (readsStoredInputs(ctx, target)) {
    return (userIds) => readStoredTopicProfiles(db.prisma, userIds);
  }
  const window = activityWindow(ctx.now, c);
  return (userIds) => aggregateTopicProfiles(db.prisma, userIds, window, c.topicsPerUser);
}

/**
 * A full run: every eligible viewer, in shards of `shardSize` viewers by id, each writing its
 * viewers' rows into the rebuild copy, swapped in once all are done.
 */
async function runSharded(ctx: Ctx): Promise<{ counts: Counts; top: TopPair[] }> {
  const { count, ranges } = await eligibleUserRanges(ctx.db.prisma, ctx.now, ctx.config.shardSize);
  ctx.setTotal(count);
  if (!ctx.options.dryRun) {
    const c = ctx.config;
    ctx.scanned(
      await storeTopicProfiles(ctx.db.prisma, activityWindow(ctx.now, c), c.topicsPerUser),
    );
  }
  const outcome = await ctx.distribute(ranges);
  const counts = noCounts();
  for (const key of COUNT_KEYS) counts[key] = summed(outcome, key);
  return { counts, top: shardParts<TopPair>(outcome, "top") };
}

/** One user's run or an incremental one: their viewers' rows replaced in place. */
async function runInPlace(ctx: Ctx, userId: string | null) {
  const viewers = await selectViewers(ctx, userId);
  ctx.setTotal(viewers.count);
  const tally = new RunTally(ctx.options.dryRun ? ctx.config.topN : 0);
  await scoreViewers(ctx, viewers.batches(), tally, "in place");
  return tally;
}

/** The eligible viewers of `paging`, a page of `batchSize` at a time in id order. */
async function* viewerPages(ctx: Ctx, paging: ViewerPaging, after: string) {
  for (;;) {
    const page = await nextViewers(ctx.db.prisma, paging, after, ctx.config.batchSize);
    const last = page.at(-1);
    if (last === undefined) return;
    yield page;
    after = last;
  }
}

/** A shard's viewers: the eligible ones in its range. */
const viewersIn = (ctx: Ctx, range: IdRange) =>
  viewerPages(ctx, { now: ctx.now, userId: null, throughId: range.throughId }, range.afterId ?? "");

interface ViewerSelection {
  count: number;
  batches(): AsyncIterable<string[]>;
}

/**
 * Whom a run in place scores: one user (if eligible), or, incremental, the viewers with new
 * activity since the last complete run; without one, or when it ran another algorithm version
 * (its rows are not this version's), everyone. A partner's drift (their topics, time passing)
 * reaches a pair at the next full run.
 */
async function selectViewers(ctx: Ctx, userId: string | null): Promise<ViewerSelection> {
  const { db, config: c, now } = ctx;
  const since =
    userId === null
      ? await lastCompleteRunAsOf(db.prisma, JOB_NAME, now, ctx.algorithmVersion)
      : null;
  if (since) {
    ctx.note("activitySince", since.toISOString());
    const ids = await viewersWithNewActivity(db.prisma, since, now);
    return {
      count: ids.length,
      async *batches() {
        for (let i = 0; i < ids.length; i += c.batchSize) yield ids.slice(i, i + c.batchSize);
      },
    };
  }
  return {
    count: await countViewers(db.prisma, now, userId),
    batches: () => viewerPages(ctx, { now, userId, throughId: null }, ""),
  };
}
