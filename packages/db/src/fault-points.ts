import { setTimeout as sleep } from "node:timers/promises";

/** Longer than any fault-injection test waits before it kills the paused process. */
const PAUSE_MS = 600_000;

/**
 * Test hook of the fault-injection suite (README "Tests"): with FEED_JOBS_PAUSE_AT=<stage> the
 * process writes "paused at <stage>" to stderr at that stage and waits there, so that a test can
 * kill it at a known point. Unset (always, outside those tests) it does nothing. Stages:
 * `rebuild:scoring` (copies created, nothing scored yet), `rebuild:keys` (copies filled, a
 * foreign key added but not yet validated), `rebuild:swap` (inside the swap, tables locked).
 */
export async function pauseAt(stage: string): Promise<void> {
  if (process.env.FEED_JOBS_PAUSE_AT !== stage) return;
  process.stderr.write(`paused at ${stage} (FEED_JOBS_PAUSE_AT)\n`);
  await sleep(PAUSE_MS);
}
