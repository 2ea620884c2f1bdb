import type { Queue } from "../queue/boss.ts";
import { shardQueue } from "../queue/boss.ts";
import type { ShardMessage } from "../queue/messages.ts";

/** A queue job's state, as pg-boss names it. */
export type QueueJobState = "created" | "retry" | "active" | "completed" | "cancelled" | "failed";

/**
 * How a run's shards reach worker processes (`RunRequest.shardDispatch`): given by processes
 * that have workers (scheduler, worker, CLI `--workers N`). Without one, or on the embedded
 * database, a run's shards run in its own process.
 */
export interface ShardDispatch {
  /** How often the run looks at its shards while they run. */
  readonly pollIntervalMs: number;
  /** Queues one job per shard; their ids, in the messages' order. */
  send(jobName: string, messages: readonly ShardMessage[]): Promise<string[]>;
  /** The state of a shard's queue job (archived ones included); null when it is gone. */
  state(jobName: string, id: string): Promise<QueueJobState | null>;
  /** Withdraws shards not yet done (a failed or cancelled run). */
  cancel(jobName: string, ids: readonly string[]): Promise<void>;
}

/** A shard's queue job ended without the shard being DONE: no attempt of it will come. */
export const isSpent = (state: QueueJobState | null) =>
  state === null || state === "failed" || state === "cancelled" || state === "completed";

/** Shards as jobs of pg-boss's `shard.<job>` queues, worked by `workShards`. */
export function queueShards(
  queue: Queue,
  options: { pollIntervalMs?: number } = {},
): ShardDispatch {
  return {
    pollIntervalMs: options.pollIntervalMs ?? 1_000,
    async send(jobName, messages) {
      const ids: string[] = [];
      for (const message of messages) {
        const id = await queue.send(shardQueue(jobName), message);
        if (!id) throw new Error(`queue ${shardQueue(jobName)} refused shard ${message.index}`);
        ids.push(id);
      }
      return ids;
    },
    async state(jobName, id) {
      const job = await queue.getJobById(shardQueue(jobName), id, { includeArchive: true });
      return job?.state ?? null;
    },
    async cancel(jobName, ids) {
      if (ids.length > 0) await queue.cancel(shardQueue(jobName), [...ids]);
    },
  };
}
