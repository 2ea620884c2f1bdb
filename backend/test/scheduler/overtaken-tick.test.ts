import type { Database } from "@feed-jobs/db";
import { testDatabaseKind } from "@feed-jobs/db/testing";
import { type Queue, type RunMessage, runQueue } from "@feed-jobs/jobs";
import { describe, expect, it } from "vitest";
import { DEFAULT_HEALTH_LIMITS } from "../../src/monitoring/health.ts";
import { createAlerter } from "../../src/scheduler/alerts.ts";
import { createExecutor, type Executor } from "../../src/scheduler/execute.ts";
import { createMetrics, type Metrics } from "../../src/scheduler/metrics.ts";
import { type QueueNode, startQueueNode } from "../../src/scheduler/queue-node.ts";
import { tickKey } from "../../src/scheduler/schedules.ts";
import { workRunQueues } from "../../src/scheduler/worker.ts";
import { useTestDatabase } from "../support/database.ts";
import { eventually, openTestQueue } from "./support/in-process.ts";
import { tickJob } from "./support/test-jobs.ts";

process.env.FEED_JOBS_QUEUE_POLL_SECONDS = "0.5";

let db: Database;
useTestDatabase(new Date(), "file", (opened) => {
  db = opened;
});

const older = new Date("2026-01-01T00:00:00.000Z");
const newer = new Date("2026-01-01T00:00:01.000Z");

/** tick-job's tick at `slot`. */
function tickAt(slot: Date): string {
  const [schedule] = tickJob.schedules;
  if (!schedule) throw new Error("tick-job has no schedule");
  return tickKey(tickJob, schedule, slot);
}

/** A tick of tick-job, as the scheduler queues it; its request's id. */
async function queueTick(queue: Queue, slot: Date): Promise<string> {
  const tick = tickAt(slot);
  const message: RunMessage = {
    trigger: "CRON",
    options: {},
    reason: `tick ${tick}`,
    requestedAt: slot.toISOString(),
    tick,
  };
  const id = await queue.send(runQueue(tickJob.name), message, { singletonKey: tick });
  if (!id) throw new Error(`${tick} was not queued`);
  return id;
}

const requestState = async (queue: Queue, id: string) =>
  queue.getJobById<RunMessage>(runQueue(tickJob.name), id);

/**
 * A worker whose runs wait for `meanwhile` between the worker's own look at the queue and the
 * runner taking the job's lock: the moment in which another worker may run a later tick whole.
 */
async function startWorkerPausedBeforeLock(meanwhile: () => Promise<void>) {
  const queue = await openTestQueue(db, [tickJob]);
  const shutdown = new AbortController();
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  const clock = () => new Date();
  const metrics = createMetrics(db, [tickJob.name]);
  const executor = createExecutor({
    db,
    catalog: [tickJob],
    clock,
    signal: shutdown.signal,
    log,
    metrics,
    alerter: createAlerter({ log }),
    limits: DEFAULT_HEALTH_LIMITS,
  });
  const paused: Executor = {
    ...executor,
    execute: async (job, run) => {
      await meanwhile();
      return executor.execute(job, run);
    },
  };
  const deps = { queue, db, jobs: [tickJob], clock, signal: shutdown.signal, metrics, log };
  await workRunQueues({ ...deps, executor: paused }, { pollingIntervalSeconds: 0.5 });
  return {
    queue,
    metrics,
    lines,
    async stop() {
      await queue.offWork(runQueue(tickJob.name));
      shutdown.abort();
      await executor.drain(5_000);
      await queue.stop({ close: false });
    },
  };
}

const busySkips = async (metrics: Metrics) => {
  const skips = await metrics.registry.getSingleMetric("feed_jobs_ticks_skipped_total")?.get();
  return skips?.values.find((v) => v.labels.job === tickJob.name && v.labels.reason === "busy")
    ?.value;
};

describe(`a tick overtaken before it takes its job's lock (${testDatabaseKind()})`, () => {
  it("is skipped, not run after the later tick that ran meanwhile", async () => {
    const app = await openTestQueue(db, [tickJob]);
    const olderId = await queueTick(app, older);
    const newerId = await queueTick(app, newer);
    let other: QueueNode | undefined;
    // The older tick is taken first (the queue is first in, first out) and passes the worker's
    // early look (one later tick waiting is usual); before its lock, another worker runs the
    // newer tick to the end.
    const worker = await startWorkerPausedBeforeLock(async () => {
      other = await startQueueNode(db, { jobs: [tickJob], log: () => undefined });
      await eventually(async () =>
        (await requestState(app, newerId))?.state === "completed" ? true : undefined,
      );
    });
    try {
      const olderDone = await eventually(async () => {
        const request = await requestState(app, olderId);
        return request?.state === "completed" ? request : undefined;
      });
      expect(olderDone.output).toEqual({ skipped: "a later tick of its schedule has started" });
    } finally {
      await worker.stop();
      if (other) expect(await other.stop(5_000)).toBe(true);
      await app.stop({ close: false });
    }
    const runs = await db.prisma.jobRun.findMany({ where: { jobName: tickJob.name } });
    expect(runs).toEqual([
      expect.objectContaining({ status: "SUCCESS", trigger: "CRON", asOf: newer }),
    ]);
    expect(worker.lines).toContain(
      `${tickAt(older)} skipped: a later tick of its schedule has started`,
    );
    expect(await busySkips(worker.metrics)).toBe(1);
  });
});
