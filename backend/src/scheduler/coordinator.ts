import type { Database } from "@feed-jobs/db";
import type { RunCoordinator } from "node-cron";
import { claimTick, completeTick } from "./ticks.ts";
import { retryWhileUnavailable } from "./unavailable.ts";

/** How long after its scheduled time a tick's claim is retried while the database is down. */
const CLAIM_RETRY_WINDOW_MS = 5 * 60_000;

/**
 * node-cron's distributed mode, backed by the database: node-cron asks `shouldRun` with a key
 * made of the task's name and the tick's scheduled time, and the instance whose insert of that
 * key wins runs the tick. The lease node-cron passes is not needed: a key names one tick only,
 * so a claim never has to expire for a later tick to run. While the database cannot be used, a
 * claim is retried (up to {@link CLAIM_RETRY_WINDOW_MS} after the tick) rather than the tick lost.
 */
export function databaseCoordinator(
  db: Database,
  owner: string,
  clock: () => Date,
  retry: { signal: AbortSignal; log(line: string): void } = {
    signal: new AbortController().signal,
    log: () => undefined,
  },
): RunCoordinator {
  return {
    shouldRun: (key) =>
      retryWhileUnavailable(() => claimTick(db, key, owner, clock()), {
        db,
        what: `claim of tick ${key}`,
        deadline: clock().getTime() + CLAIM_RETRY_WINDOW_MS,
        clock,
        ...retry,
      }),
    onComplete: (key) => completeTick(db, key, clock()),
  };
}
