// Child process for the scheduler tests: one scheduler process, as `pnpm job scheduler` runs it,
// or with ROLE=worker one worker process, as `pnpm job worker` runs it.
// DATABASE_URL set → that PostgreSQL database; otherwise the embedded folder in argv[2].
// SCENARIO: "ticks" (tick-job every other second), "slow" (a 10 s run with checkpoints),
// "stubborn" (a 30 s run without checkpoints), "events" (event-job's requests only),
// "slow-events" (slow-event-job's requests: 1 s runs with checkpoints).
// SHUTDOWN_TIMEOUT_MS: the shutdown limit. Queue timings: FEED_JOBS_* (queue/settings.ts).
import { migrate, openDatabase } from "@feed-jobs/db";
import { runUntilSignalled, workUntilSignalled } from "../../../src/scheduler/process.ts";
import { eventJob, everyOtherSecondJob, slowEventJob, slowJob } from "./test-jobs.ts";

const scenarios = {
  ticks: [everyOtherSecondJob],
  slow: [slowJob({ batches: 200, batchMs: 50, checkpoints: true })],
  stubborn: [slowJob({ batches: 1, batchMs: 30_000, checkpoints: false })],
  events: [eventJob],
  "slow-events": [slowEventJob({ batches: 10, batchMs: 100 })],
};
const jobs = scenarios[process.env.SCENARIO as keyof typeof scenarios];
if (!jobs) throw new Error(`unknown SCENARIO ${process.env.SCENARIO}`);

const db = await openDatabase(process.env, process.argv[2]);
await migrate(db);
const options = {
  jobs,
  log: (line: string) => process.stdout.write(`${line}\n`),
  shutdownTimeoutMs: Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 5_000),
};
const finished =
  process.env.ROLE === "worker"
    ? await workUntilSignalled(db, options)
    : await runUntilSignalled(db, { ...options, host: "127.0.0.1", port: 0 });
if (!finished) process.exit(1);
await db.close();
