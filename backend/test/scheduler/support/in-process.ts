import { setTimeout as sleep } from "node:timers/promises";
import type { Database } from "@feed-jobs/db";
import { listRequests, openQueue, type Queue, type QueuedRequest } from "@feed-jobs/jobs";
import type { AnyJob } from "../../../src/jobs/catalog.ts";
import {
  type Scheduler,
  type SchedulerOptions,
  startScheduler,
} from "../../../src/scheduler/scheduler.ts";

/** A scheduler in the test process, on a free local port, logging into `lines`. */
export async function startTestScheduler(
  db: Database,
  jobs: readonly AnyJob[],
  options: Partial<SchedulerOptions> = {},
): Promise<Scheduler & { lines: string[] }> {
  const lines: string[] = [];
  const scheduler = await startScheduler(db, {
    jobs,
    log: (line) => lines.push(line),
    host: "127.0.0.1",
    port: 0,
    busyRetrySeconds: 1,
    ...options,
  });
  return Object.assign(scheduler, { lines });
}

/** The queue as an app that enqueues requests opens it (no supervision, no workers). */
export function openTestQueue(db: Database, jobs: readonly AnyJob[]): Promise<Queue> {
  return openQueue(
    db,
    jobs.map((job) => job.name),
  );
}

/** `job`'s requests under `singletonKey` (a scope's key, a tick's key), oldest first. */
export async function requestsFor(
  db: Database,
  job: AnyJob,
  singletonKey: string,
): Promise<QueuedRequest[]> {
  const requests = await listRequests(db, { job: job.name, limit: 100 });
  return requests.filter((request) => request.singletonKey === singletonKey).reverse();
}

/** Polls `probe` every 50 ms until it returns a value, at most `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`nothing within ${timeoutMs} ms`);
    await sleep(50);
  }
}
