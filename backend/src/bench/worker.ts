// Child process of the benchmark: runs one job once and prints its summary and peak RSS as
// JSON, so that each job's peak memory is its own. Usage: worker.ts <job> <asOf> [mode]
import { openDatabase } from "@feed-jobs/db";
import { runJob } from "@feed-jobs/jobs";
import { findJob } from "../jobs/catalog.ts";

const [name, asOf, mode] = process.argv.slice(2);
const job = name ? findJob(name) : undefined;
if (!job || !asOf) throw new Error(`usage: worker.ts <job> <asOf> [full|incremental]; got ${name}`);
const db = await openDatabase();
try {
  const summary = await runJob(db, job, {
    asOf: new Date(asOf),
    options: mode && job.accepts.includes("mode") ? { mode: mode as "full" | "incremental" } : {},
  });
  const { result: _result, ...rest } = summary;
  process.stdout.write(
    `${JSON.stringify({ summary: rest, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
  );
} finally {
  await db.close();
}
