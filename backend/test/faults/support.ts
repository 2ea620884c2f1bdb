import type { Database } from "@feed-jobs/db";
import { runJob } from "@feed-jobs/jobs";
import { seedDemoData } from "../../src/demo/seed.ts";
import { matchScoresJob } from "../../src/jobs/matchScores/job.ts";
import { cliScript, startChild } from "../support/child.ts";

/** The demo population's present, and the two clocks of the full runs compared. */
export const SEEDED_AT = new Date("2026-06-01T12:00:00Z");
export const OLD_RUN = new Date("2026-06-01T13:00:00Z");
export const NEW_RUN = new Date("2026-06-01T14:00:00Z");

/** Small batches for the processes killed, so that a kill lands mid-fill. */
const KILLED_BATCH_SIZE = 5;

export async function seedPopulation(db: Database, users = 200): Promise<void> {
  await seedDemoData(db, { users, seed: 7, now: SEEDED_AT, log: () => undefined });
}

/** Every row of match-scores' tables, in order: two snapshots are equal when the lists are. */
export async function matchTables(db: Database): Promise<string[]> {
  const rows = await db.prisma.$queryRawUnsafe<{ row: string }[]>(
    `SELECT * FROM (
       SELECT 'score ' || row_to_json(s)::text AS row FROM match_scores s
       UNION ALL SELECT 'viewer ' || row_to_json(v)::text FROM match_score_viewers v) t
     ORDER BY row`,
  );
  return rows.map((r) => r.row);
}

/** The rebuild copies present. */
export async function rebuildCopies(db: Database): Promise<string[]> {
  const rows = await db.prisma.$queryRawUnsafe<{ name: string }[]>(
    "SELECT relname::text AS name FROM pg_class WHERE relname LIKE 'match\\_%\\_rebuild' ORDER BY 1",
  );
  return rows.map((r) => r.name);
}

/** A full match-scores run in this process, as of `asOf`; the test fails unless it succeeds. */
export async function fullRun(db: Database, asOf: Date, dryRun = false) {
  const summary = await runJob(db, matchScoresJob, {
    asOf,
    options: { mode: "full", ...(dryRun ? { dryRun } : {}) },
  });
  if (summary.status !== "SUCCESS") throw new Error(`full run ${summary.status}: ${summary.error}`);
  return summary;
}

/** `pnpm job match-scores --mode full` as a process of its own, on `url`, as of `asOf`. */
export function startFullRunCli(url: string, asOf: Date, env: Record<string, string> = {}) {
  return startChild(
    cliScript,
    [
      "match-scores",
      "--mode",
      "full",
      "--as-of",
      asOf.toISOString(),
      "--batch-size",
      String(KILLED_BATCH_SIZE),
    ],
    { ...process.env, DATABASE_URL: url, ...env },
  );
}
