import type { Database } from "@feed-jobs/db";
import { type RankFeedOptions, rankFeed } from "./rank-feed.ts";

export interface FeedLatency {
  /** Requests measured (one first page per viewer). */
  readonly viewers: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
}

export interface LatencyOptions {
  /** Unmeasured requests first (connection, plan and JIT warm-up). Default 5. */
  readonly warmup?: number;
  /** Passed to every rankFeed call. Default: rankFeed's defaults. */
  readonly feed?: Omit<RankFeedOptions, "now" | "cursor">;
  /** A monotonic clock in milliseconds. Default performance.now. */
  readonly clock?: () => number;
}

/**
 * Times one first-page rankFeed per viewer, sequentially (a single client, as one API worker
 * would be): p50 and p99 by nearest rank, and the mean. Warm-up requests reuse the first viewers.
 */
export async function measureFeedLatency(
  db: Database,
  viewerIds: readonly string[],
  now: Date,
  options: LatencyOptions = {},
): Promise<FeedLatency> {
  const clock = options.clock ?? (() => performance.now());
  const request = (viewerId: string) => rankFeed(db, viewerId, { ...options.feed, now });
  for (const viewerId of viewerIds.slice(0, options.warmup ?? 5)) await request(viewerId);
  const durations: number[] = [];
  for (const viewerId of viewerIds) {
    const started = clock();
    await request(viewerId);
    durations.push(clock() - started);
  }
  return {
    viewers: durations.length,
    p50Ms: percentile(durations, 0.5),
    p99Ms: percentile(durations, 0.99),
    meanMs: durations.length ? durations.reduce((a, b) => a + b, 0) / durations.length : 0,
  };
}

/** Nearest-rank percentile (`share` in (0, 1]) of the values; 0 when there are none. */
export function percentile(values: readonly number[], share: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length, Math.max(1, Math.ceil(share * sorted.length))) - 1;
  return sorted[index] ?? 0;
}
