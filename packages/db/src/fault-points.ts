import { setTimeout as sleep } from "node:timers/promises";

/** Longer than any fault-injection test waits before it kills the paused process. */
const DEFAULT_PAUSE_MS = 600_000;

/**
 * Test hook of the fault-injection suite (README "Tests"): with FEED_JOBS_PAUSE_AT=<stage> the
 * process writes "paused at <stage>" to stderr at that stage and waits there, so that a test can
 * kill it at a known point. Unset (always, outside those tests) it does nothing. Stages:
 * `rebuild:scoring` (copies created, nothing scored yet), `rebuild:keys` (copies filled, a
 * foreign key added but not yet validated), `rebuild:swap` (inside the swap, tables locked),
 * `shard:scoring` (a shard attempt started, nothing of it scored yet).
 * FEED_JOBS_PAUSE_MS ends the pause early, for tests that break the database meanwhile.
 */
export async function pauseAt(stage: string): Promise<void> {
  if (process.env.FEED_JOBS_PAUSE_AT !== stage) return;
  process.stderr.write(`paused at ${stage} (FEED_JOBS_PAUSE_AT)\n`);
  await sleep(Number(process.env.FEED_JOBS_PAUSE_MS) || DEFAULT_PAUSE_MS);
}

/**
 * Test hook of the same suite: with FEED_JOBS_FAIL_AT=<stage> the process throws at that stage
 * every time it gets there: `shard:<index>` at the start of each attempt of that shard of any
 * full run (a shard that always fails). Unset, nothing happens.
 */
export function failAt(stage: string): void {
  if (process.env.FEED_JOBS_FAIL_AT === stage) {
    throw new Error(`failed at ${stage} (FEED_JOBS_FAIL_AT)`);
  }
}
