import type { Database } from "@feed-jobs/db";
import { type SchedulerOptions, startScheduler } from "./scheduler.ts";

export interface ProcessOptions extends SchedulerOptions {
  /** How long SIGINT/SIGTERM waits for running jobs to stop before giving up (ms). Default: 30_000. */
  shutdownTimeoutMs?: number;
}

const SIGNALS = ["SIGINT", "SIGTERM"] as const;

/**
 * Runs a scheduler until SIGINT or SIGTERM, then shuts it down gracefully. Resolves true when
 * every running job stopped within the limit (its JobRun recorded), false when the limit passed:
 * the caller should then exit at once. Later signals are ignored rather than fatal: a Ctrl-C
 * reaches both tsx and this process, and tsx relays it again.
 */
export async function runUntilSignalled(db: Database, options: ProcessOptions): Promise<boolean> {
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
    const scheduler = await startScheduler(db, options);
    const signal = await signalled;
    options.log(
      `${signal}: stopping; waiting up to ${timeoutMs} ms for running jobs to reach a checkpoint`,
    );
    const finished = await scheduler.stop(timeoutMs);
    options.log(finished ? "stopped: every run recorded" : "stopped before running jobs finished");
    return finished;
  } finally {
    for (const signal of SIGNALS) process.off(signal, onSignal);
  }
}
