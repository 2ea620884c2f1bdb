import { setTimeout as sleep } from "node:timers/promises";
import { asUnavailable, type Database } from "@feed-jobs/db";

const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 60_000;

export interface RetryWhileUnavailable {
  db: Database;
  /** What is retried, for the log ("match-scores/nightly-full: tick …"). */
  what: string;
  /** No attempt starts at or after this time (ms since the epoch); null: no limit. */
  deadline: number | null;
  /** Stops retrying (shutdown). */
  signal: AbortSignal;
  clock: () => Date;
  log(line: string): void;
}

/**
 * Runs `work`, and while it fails because the database cannot be used (stopped, unreachable,
 * not answering: see DatabaseUnavailable) tries it again after 1 s, 2 s, 4 s, … at most 60 s,
 * logging each failure in one line naming the cause, until the deadline or shutdown; then the
 * last error is thrown. Other errors are thrown at once. Success after a failure is logged too.
 */
export async function retryWhileUnavailable<T>(
  work: () => Promise<T>,
  options: RetryWhileUnavailable,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await work();
      if (attempt > 0) options.log(`${options.what}: database available again`);
      return result;
    } catch (error) {
      const unavailable = asUnavailable(error, options.db.location);
      if (!unavailable) throw error;
      const delay = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** attempt);
      const next = options.clock().getTime() + delay;
      if (options.signal.aborted || (options.deadline !== null && next >= options.deadline)) {
        throw unavailable;
      }
      options.log(
        `${options.what}: database unavailable — ${unavailable.message}; retrying in ${delay / 1000} s`,
      );
      await sleep(delay, undefined, { signal: options.signal }).catch(() => undefined);
    }
  }
}

/**
 * Where the queue's errors go. pg-boss's polls fail silently while the database cannot be used
 * (they just find nothing); its maintenance (supervising processes) and completions report
 * errors: an outage is then reported as the ticks report theirs (one line per probe after 1 s,
 * 2 s, 4 s, … and one when the database answers again) instead of a line per error. A blip that
 * the first probe no longer sees is not reported. Other errors: one line each.
 */
export function reportQueueErrors(
  options: Omit<RetryWhileUnavailable, "what" | "deadline">,
): (error: Error) => void {
  let probing = false;
  return (error) => {
    if (probing) return;
    if (!asUnavailable(error, options.db.location)) {
      options.log(`queue: ${error.message}`);
      return;
    }
    probing = true;
    const probe = () => options.db.prisma.$queryRaw`SELECT 1`;
    void retryWhileUnavailable(probe, { ...options, what: "worker", deadline: null })
      .catch(() => undefined)
      .finally(() => {
        probing = false;
      });
  };
}
