import type { Database } from "@feed-jobs/db";
import type { RunCoordinator } from "node-cron";
import { claimTick, completeTick } from "./ticks.ts";

/**
 * node-cron's distributed mode, backed by the database: node-cron asks `shouldRun` with a key
 * made of the task's name and the tick's scheduled time, and the instance whose insert of that
 * key wins runs the tick. The lease node-cron passes is not needed: a key names one tick only,
 * so a claim never has to expire for a later tick to run.
 */
export function databaseCoordinator(
  db: Database,
  owner: string,
  clock: () => Date,
): RunCoordinator {
  return {
    shouldRun: (key) => claimTick(db, key, owner, clock()),
    onComplete: (key) => completeTick(db, key, clock()),
  };
}
