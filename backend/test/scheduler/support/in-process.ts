import { setTimeout as sleep } from "node:timers/promises";
import type { Database } from "@feed-jobs/db";
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
    pollIntervalMs: 50,
    ...options,
  });
  return Object.assign(scheduler, { lines });
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
