import type { Database } from "@feed-jobs/db";
import {
  openQueue,
  type Queue,
  type QueueSettings,
  queueSettings,
  queueShards,
  runQueue,
  workShards,
} from "@feed-jobs/jobs";
import type { AnyJob } from "../jobs/catalog.ts";
import { DEFAULT_HEALTH_LIMITS, type HealthLimits } from "../monitoring/health.ts";
import { createAlerter } from "./alerts.ts";
import { createExecutor, type Executor } from "./execute.ts";
import { createMetrics, type Metrics } from "./metrics.ts";
import { reportQueueErrors } from "./unavailable.ts";
import { type WorkerOptions, workRunQueues } from "./worker.ts";

export interface QueueNodeOptions extends WorkerOptions {
  /** The jobs whose queues are opened (and worked on). */
  jobs: readonly AnyJob[];
  log(line: string): void;
  /**
   * Work on the queue in this process: run requests and ticks, and on PostgreSQL the shards of
   * full runs. Default: true.
   */
  worker?: boolean;
  /** Shards of each sharded job this process runs at once (PostgreSQL). Default: 1. */
  concurrency?: number;
  /** Slack-compatible incoming webhook for alerts. Default: none (alerts go to the log only). */
  alertWebhookUrl?: string | undefined;
  /** Default: {@link DEFAULT_HEALTH_LIMITS}. */
  limits?: HealthLimits;
  /** The wall clock, read once per tick, request and run. Default: () => new Date(). */
  clock?: () => Date;
  /** Default: from the environment (FEED_JOBS_*). */
  queueSettings?: QueueSettings;
}

/**
 * What every long-lived process of the queue has (`scheduler`, `worker`): the queue, opened
 * supervising (it expires the attempts of killed workers), the executor (metrics, monitoring,
 * alerts, graceful stop) and, unless `worker: false`, the run-queue workers and, on PostgreSQL,
 * the shard workers: then the full runs this process runs send their shards to the queue, for
 * every worker. On the embedded database (one process) shards run inside their run.
 */
export interface QueueNode {
  readonly queue: Queue;
  readonly executor: Executor;
  readonly metrics: Metrics;
  readonly clock: () => Date;
  /** Aborted by `stop`: runs stop at their next checkpoint. */
  readonly signal: AbortSignal;
  /**
   * Takes no more requests, cancels running jobs at their next checkpoint (their requests go
   * back to the queue) and waits up to `timeoutMs` for them; true when all finished in time.
   * Stops the queue, leaving `db` open.
   */
  stop(timeoutMs: number): Promise<boolean>;
}

export async function startQueueNode(db: Database, options: QueueNodeOptions): Promise<QueueNode> {
  const clock = options.clock ?? (() => new Date());
  const shutdown = new AbortController();
  const { log, jobs } = options;
  const names = jobs.map((job) => job.name);
  const metrics = createMetrics(db, names);
  const settings = options.queueSettings ?? queueSettings();
  const queue = await openQueue(db, names, {
    supervise: true,
    settings,
    onError: reportQueueErrors({ db, signal: shutdown.signal, clock, log }),
  });
  const worker = options.worker !== false;
  const shards = worker && db.kind !== "embedded";
  const executor = createExecutor({
    db,
    catalog: jobs,
    clock,
    signal: shutdown.signal,
    log,
    metrics,
    alerter: createAlerter({ log, webhookUrl: options.alertWebhookUrl }),
    limits: options.limits ?? DEFAULT_HEALTH_LIMITS,
    shardDispatch: shards ? queueShards(queue) : undefined,
  });
  if (worker) {
    const deps = { queue, db, jobs, clock, signal: shutdown.signal, executor, metrics, log };
    const { pollingIntervalSeconds } = settings;
    await workRunQueues(deps, { ...options, pollingIntervalSeconds });
  }
  const concurrency = options.concurrency ?? 1;
  const stopShards = shards
    ? await workShards(queue, db, jobs, { concurrency, signal: shutdown.signal, log, settings })
    : async () => undefined;
  return {
    queue,
    executor,
    metrics,
    clock,
    signal: shutdown.signal,
    async stop(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      // No new request or shard first: one taken after the abort would start only to be cancelled.
      await Promise.all(names.map((name) => queue.offWork(runQueue(name))));
      await stopShards();
      shutdown.abort();
      const finished = await executor.drain(timeoutMs);
      // pg-boss waits for the shards running here (they fail their attempt at their next
      // checkpoint, for another worker). Not finished in time: the attempts still active are
      // failed now (pg-boss retries them) rather than left to expire.
      const timeout = Math.max(1_000, deadline - Date.now());
      await queue.stop({ graceful: finished, close: false, timeout });
      return finished;
    },
  };
}
