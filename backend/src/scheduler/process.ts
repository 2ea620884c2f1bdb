import type { Database } from "@feed-jobs/db";
import { type QueueNodeOptions, startQueueNode } from "./queue-node.ts";
import { type SchedulerOptions, startScheduler } from "./scheduler.ts";

export interface StopOptions {
  /** How long SIGINT/SIGTERM waits for running jobs to stop before giving up (ms). Default: 30_000. */
  shutdownTimeoutMs?: number;
  log(line: string): void;
}

export type ProcessOptions = SchedulerOptions & StopOptions;

const SIGNALS = ["SIGINT", "SIGTERM"] as const;

/** A long-lived process's work: stops gracefully, true when every running job stopped in time. */
interface Stoppable {
  stop(timeoutMs: number): Promise<boolean>;
}

/** Runs a scheduler until SIGINT or SIGTERM, then shuts it down gracefully: see {@link untilSignalled}. */
export function runUntilSignalled(db: Database, options: ProcessOptions): Promise<boolean> {
  return untilSignalled(() => startScheduler(db, options), options);
}

/**
 * Runs a worker (`pnpm job worker`: the run and shard queues, no schedules, no HTTP) until SIGINT
 * or SIGTERM, then shuts it down gracefully: see {@link untilSignalled}.
 */
export function workUntilSignalled(
  db: Database,
  options: QueueNodeOptions & StopOptions,
): Promise<boolean> {
  return untilSignalled(async () => {
    const node = await startQueueNode(db, options);
    options.log(`worker ${process.pid}: ${options.jobs.length} jobs`);
    return node;
  }, options);
}

/**
 * Starts the work, waits for SIGINT or SIGTERM, then stops it gracefully. Resolves true when
 * every running job stopped within the limit (its JobRun recorded), false when the limit passed:
 * the caller should then exit at once. Later signals are ignored rather than fatal: a Ctrl-C
 * reaches both tsx and this process, and tsx relays it again.
 */
async function untilSignalled(
  start: () => Promise<Stoppable>,
  options: StopOptions,
): Promise<boolean> {
  const timeoutMs = options.shutdownTimeoutMs ?? 30_000;
  let received: NodeJS.Signals | undefined;
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const signalled = new Promise<NodeJS.Signals>((resolve) => {
    onSignal = (signal) => {
      if (received) return options.log(`${signal}: already stopping`);
      received = signal;
      resolve(signal);
    };
  });
  for (const signal of SIGNALS) process.on(signal, onSignal);
  try {
    const work = await start();
    const signal = await signalled;
    options.log(
      `${signal}: stopping; waiting up to ${timeoutMs} ms for running jobs to reach a checkpoint`,
    );
    const finished = await work.stop(timeoutMs);
    options.log(finished ? "stopped: every run recorded" : "stopped before running jobs finished");
    return finished;
  } finally {
    for (const signal of SIGNALS) process.off(signal, onSignal);
  }
}
