import { rebuildCopyOf } from "@feed-jobs/db";
import type { JobContext } from "@feed-jobs/jobs";
import {
  type ContentFeatures,
  type ContentSettings,
  computeContentFeatures,
  contentInputHash,
} from "@feed-jobs/scoring/content";
import { settingsTag } from "./config.ts";
import {
  FEATURES,
  loadPosts,
  markUnchanged,
  type PostRow,
  type ScoredPost,
  writeFeatures,
} from "./queries.ts";

/** What a run did with its posts; also what it prints. */
export interface Tally {
  computed: number;
  skippedUnchanged: number;
  /** Posts that could not be scored (e.g. an unknown post type); each is a ctx.failed. */
  skippedFailed: number;
  /** Deleted by now, removed or (with --post-id) not found when read or written. */
  skippedDeleted: number;
  /** The first posts computed, by id (a dry run or --post-id prints them). */
  sample: PostSummary[];
}

export interface PostSummary {
  id: string;
  topics: readonly string[];
  quality: number;
  nsfw: boolean;
  nsfwScore: number;
  sentiment: number | null;
}

export const SAMPLE_SIZE = 5;

/** The tally's counts: numbers a full run's shards note and `distribute` sums. */
export const TALLY_COUNTS = [
  "computed",
  "skippedUnchanged",
  "skippedFailed",
  "skippedDeleted",
] as const satisfies readonly (keyof Tally)[];

/** The first `SAMPLE_SIZE` posts by id. */
export function firstById(posts: readonly PostSummary[]): PostSummary[] {
  return [...posts].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(0, SAMPLE_SIZE);
}

export function emptyTally(): Tally {
  return { computed: 0, skippedUnchanged: 0, skippedFailed: 0, skippedDeleted: 0, sample: [] };
}

/**
 * How a batch is written. `force`: recompute posts whose row is up to date. `target`: the table
 * itself, or (a full run's shard, which forces) its rebuild copy, where the rows left alone
 * are carried over at the end of the shard.
 */
export interface BatchWrite {
  readonly force: boolean;
  readonly target: "in place" | "rebuild";
}

/**
 * Reads, scores and writes one batch. A post whose input hash (the content hash, plus ":" and
 * the settings tag when the settings are not the defaults) and algorithm version match its row
 * is skipped (unless `force`); a post that cannot be scored is counted failed; a post gone
 * or deleted by the time it is read or written is counted and gets no row.
 */
export async function scoreBatch(
  ctx: JobContext<unknown>,
  ids: readonly string[],
  settings: ContentSettings,
  how: BatchWrite,
  tally: Tally,
): Promise<void> {
  const { force } = how;
  const sql = ctx.db.prisma;
  const posts = await loadPosts(sql, ids, ctx.now);
  ctx.scanned(posts.length);
  const live = posts.filter((post) => !post.deleted);
  const scored: ScoredPost[] = [];
  const unchanged: PostRow[] = [];
  const tag = settingsTag(settings, ctx.algorithmVersion);
  ctx.excluded("nullTag", sum(live.map((post) => post.nullTags)));
  for (const post of live) {
    // Hashing reads the content as much as scoring does: one bad post fails alone.
    try {
      const contentHash = contentInputHash(post, settings);
      const inputHash = tag === "" ? contentHash : `${contentHash}:${tag}`;
      if (!force && post.storedHash === inputHash && post.storedVersion === ctx.algorithmVersion) {
        unchanged.push(post);
        continue;
      }
      scored.push({ post, inputHash, features: computeContentFeatures(post, settings) });
    } catch (error) {
      ctx.failed(post.id, error);
    }
  }
  let written = scored;
  if (ctx.options.dryRun) {
    ctx.collect?.(scored.map(collectedRow));
  } else {
    const run = { now: ctx.now, algorithmVersion: ctx.algorithmVersion };
    const table = how.target === "rebuild" ? rebuildCopyOf(FEATURES) : FEATURES;
    const writtenIds = await writeFeatures(sql, scored, run, table);
    written = scored.filter((s) => writtenIds.has(s.post.id));
    const marked = how.target === "rebuild" ? 0 : await markUnchanged(sql, unchanged);
    ctx.written(writtenIds.size + marked);
  }
  const failed = live.length - scored.length - unchanged.length;
  tally.computed += written.length;
  tally.skippedUnchanged += unchanged.length;
  tally.skippedFailed += failed;
  tally.skippedDeleted += ids.length - live.length + (scored.length - written.length);
  tally.sample = firstById([...tally.sample, ...written.map(summarise)]);
  ctx.processed(ids.length - failed);
}

/** A row a dry run would have written, as `eval` receives it (ctx.collect). */
export interface CollectedFeatures extends ContentFeatures {
  readonly postId: string;
}

function collectedRow({ post, features }: ScoredPost): CollectedFeatures {
  return { postId: post.id, ...features };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function summarise({ post, features }: ScoredPost): PostSummary {
  return {
    id: post.id,
    topics: features.topics,
    quality: features.quality,
    nsfw: features.nsfw,
    nsfwScore: features.nsfwScore,
    sentiment: features.sentiment,
  };
}
