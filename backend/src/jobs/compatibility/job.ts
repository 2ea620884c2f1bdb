import { defineJob, type JobContext, lastCompleteRunAsOf } from "@feed-jobs/jobs";
import { forEachBounded } from "../bounded.ts";
import { countIneligibleInputs, removeRowsOfIneligiblePeople } from "../eligibility.ts";
import { type CompatibilityConfig, compatibilityConfig } from "./config.ts";
import { readPairActivity } from "./pair-activity-query.ts";
import {
  type ActivityWindow,
  COMPATIBILITY,
  countViewers,
  nextViewers,
  readTopicProfiles,
  replaceViewerRows,
  viewersWithNewActivity,
} from "./queries.ts";
import { COMPATIBILITY_V1, COMPATIBILITY_V2, type ScoredPair, scorePairs } from "./score-pairs.ts";
import { TopicProfileCache } from "./topic-profiles.ts";

const JOB_NAME = "compatibility";
const DAY_MS = 86_400_000;

/**
 * At 100k users / ~10M events / 50 suggestions each: every event is read about twice (as
 * actor and as target), each suggestion once; about 5M rows written on the first run.
 */
const budget = { maxRowsScanned: 40_000_000, maxRowsWritten: 12_000_000, maxRuntimeMs: 180_000 };

type Ctx = JobContext<CompatibilityConfig>;

const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** What a run did, returned and noted in the JobRun. */
class RunTally {
  viewers = 0;
  pairs = 0;
  activePairs = 0;
  suggestionPairs = 0;
  upserted = 0;
  removed = 0;
  scoreSum = 0;
  top: ScoredPair[] = [];

  /** `topN` highest pairs are kept for the result (0: none, outside dry runs). */
  constructor(private readonly topN: number) {}

  add(pairs: readonly ScoredPair[]): void {
    for (const pair of pairs) {
      this.pairs += 1;
      this.scoreSum += pair.score;
      if (pair.scope.includes("suggestion")) this.suggestionPairs += 1;
      if (pair.scope.some((reason) => reason !== "suggestion")) this.activePairs += 1;
    }
    if (this.topN === 0) return;
    this.top = [...this.top, ...pairs].sort(
      (a, b) =>
        b.score - a.score ||
        compareIds(a.viewerId, b.viewerId) ||
        compareIds(a.targetId, b.targetId),
    );
    this.top.length = Math.min(this.top.length, this.topN);
  }

  summary() {
    return {
      viewers: this.viewers,
      pairs: this.pairs,
      activePairs: this.activePairs,
      suggestionPairs: this.suggestionPairs,
      meanScore:
        this.pairs === 0 ? null : Math.round((this.scoreSum / this.pairs) * 10_000) / 10_000,
      rowsUpserted: this.upserted,
      rowsRemoved: this.removed,
    };
  }
}

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
    const topicRows = await readTopicProfiles(db.prisma, missing, window, c.topicsPerUser);
    ctx.scanned(topicRows[0]?.rows_read ?? 0);
    topics.store(missing, topicRows);
  }
  const { scored, failed } = scorePairs(rows, topics, now, c, ctx.algorithmVersion);
  for (const [viewer, error] of failed) ctx.failed(viewer, error);
  const done = viewers.filter((viewer) => !failed.has(viewer));
  if (ctx.options.dryRun) {
    ctx.collect?.(scored);
  } else if (done.length > 0) {
    const written = await replaceViewerRows(db.prisma, done, scored, now, ctx.algorithmVersion);
    ctx.written(written.removed + written.upserted);
    tally.upserted += written.upserted;
    tally.removed += written.removed;
  }
  tally.viewers += done.length;
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
  async run(ctx) {
    const { db, config: c, now } = ctx;
    const userId = ctx.options.userId ?? null;
    const tally = new RunTally(ctx.options.dryRun ? c.topN : 0);
    if (!ctx.options.dryRun) {
      const removed = await removeRowsOfIneligiblePeople(db.prisma, COMPATIBILITY, now, userId);
      ctx.written(removed);
      tally.removed += removed;
    }
    const ineligible = await countIneligibleInputs(ctx, userId ?? undefined);
    if (ineligible !== null) return { ...tally.summary(), skipped: ineligible };
    const viewers = await selectViewers(ctx, userId);
    ctx.setTotal(viewers.count);
    const topics = new TopicProfileCache();
    // Each batch is one aggregate query on its own connection: a server runs them side by side.
    const concurrency = db.kind === "embedded" ? 1 : c.concurrency;
    await forEachBounded(viewers.batches(), concurrency, async (batch) => {
      await ctx.checkpoint();
      await processBatch(ctx, batch, topics, tally);
    });
    const summary = tally.summary();
    for (const [key, value] of Object.entries(summary)) ctx.note(key, value);
    if (!ctx.options.dryRun) return summary;
    const top = tally.top.map(({ viewerId, targetId, score, scope }) => ({
      viewerId,
      targetId,
      score,
      scope,
    }));
    return { ...summary, dryRun: true, top };
  },
});

interface ViewerSelection {
  count: number;
  batches(): AsyncIterable<string[]>;
}

/**
 * Whom a run scores. Full (the default) or one user: every active viewer (or that one), paged
 * by id. Incremental: the viewers with new activity since the last complete run; without one,
 * or when it ran another algorithm version (its rows are not this version's), everyone. A partner's drift (their topics, time passing) reaches a pair at the next full run.
 */
async function selectViewers(ctx: Ctx, userId: string | null): Promise<ViewerSelection> {
  const { db, config: c, now } = ctx;
  const since =
    ctx.options.mode === "incremental" && userId === null
      ? await lastCompleteRunAsOf(db.prisma, JOB_NAME, now, ctx.algorithmVersion)
      : null;
  ctx.note("mode", ctx.options.mode ?? "full");
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
    async *batches() {
      let after = "";
      for (;;) {
        const page = await nextViewers(db.prisma, now, after, c.batchSize, userId);
        const last = page.at(-1);
        if (last === undefined) return;
        yield page;
        after = last;
      }
    },
  };
}
