import { type Database, describeDatabaseError } from "@feed-jobs/db";
import type { JobDefinition } from "../definition.ts";
import { type Queue, shardQueue } from "../queue/boss.ts";
import type { ShardMessage } from "../queue/messages.ts";
import { type QueueSettings, queueSettings } from "../queue/settings.ts";
import { runShard } from "./run-shard.ts";

export interface WorkShardsOptions {
  /** Shards of each job this process runs at once. */
  concurrency: number;
  /**
   * Aborting stops taking shards; a shard running stops at its next checkpoint and fails its
   * attempt, so that another worker retries it.
   */
  signal?: AbortSignal;
  log: (message: string) => void;
  /** Default: from the environment ({@link queueSettings}). */
  settings?: QueueSettings;
}

/**
 * Works the shard queues of the jobs that declare `shard`: `concurrency` pg-boss workers per job,
 * one shard at a time each, every one running {@link runShard}. Resolves once they poll; returns
 * the function that stops them taking shards (also called when `signal` aborts).
 */
export async function workShards(
  queue: Queue,
  db: Database,
  // biome-ignore lint/suspicious/noExplicitAny: a list of jobs of different config types
  jobs: readonly JobDefinition<any>[],
  options: WorkShardsOptions,
): Promise<() => Promise<void>> {
  const sharded = jobs.filter((job) => job.shard);
  const { pollingIntervalSeconds } = options.settings ?? queueSettings();
  for (const job of sharded) {
    for (let subscription = 0; subscription < options.concurrency; subscription++) {
      await queue.work<ShardMessage>(
        shardQueue(job.name),
        { batchSize: 1, pollingIntervalSeconds },
        async ([queued]) => {
          if (queued) await runQueuedShard(db, job, queued.data, options);
        },
      );
    }
  }
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= Promise.all(sharded.map((job) => queue.offWork(shardQueue(job.name)))).then(
      () => undefined,
    );
    return stopped;
  };
  options.signal?.addEventListener("abort", () => void stop(), { once: true });
  return stop;
}

/** One queued shard attempt, logged; a failure is rethrown for pg-boss to retry. */
async function runQueuedShard(
  db: Database,
  // biome-ignore lint/suspicious/noExplicitAny: any job of the list
  job: JobDefinition<any>,
  message: ShardMessage,
  options: WorkShardsOptions,
): Promise<void> {
  const what = `${job.name} shard ${message.index} of ${message.count} (run ${message.runId})`;
  try {
    const outcome = await runShard(db, job, message, {
      signal: options.signal,
      log: options.log,
    });
    options.log(`${what}: ${outcome}`);
  } catch (error) {
    options.log(`${what} failed: ${describeDatabaseError(error)}`);
    throw error;
  }
}
