// Child process for the scheduler tests: one scheduler process, as `pnpm job scheduler` runs it.
// DATABASE_URL set → that PostgreSQL database; otherwise the embedded folder in argv[2].
// SCENARIO: "ticks" (tick-job every other second), "slow" (a 10 s run with checkpoints),
// "stubborn" (a 30 s run without checkpoints), "events" (event-job's requests only).
// SHUTDOWN_TIMEOUT_MS: the shutdown limit.
import { migrate, openDatabase } from "@feed-jobs/db";
import { runUntilSignalled } from "../../../src/scheduler/process.ts";
import { eventJob, everyOtherSecondJob, slowJob } from "./test-jobs.ts";

const scenarios = {
  ticks: [everyOtherSecondJob],
  slow: [slowJob({ batches: 200, batchMs: 50, checkpoints: true })],
  stubborn: [slowJob({ batches: 1, batchMs: 30_000, checkpoints: false })],
  events: [eventJob],
};
const jobs = scenarios[process.env.SCENARIO as keyof typeof scenarios];
if (!jobs) throw new Error(`unknown SCENARIO ${process.env.SCENARIO}`);

const db = await openDatabase(process.env, process.argv[2]);
await migrate(db);
const finished = await runUntilSignalled(db, {
  jobs,
  log: (line) => process.stdout.write(`${line}\n`),
  host: "127.0.0.1",
  port: 0,
  shutdownTimeoutMs: Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 5_000),
});
if (!finished) process.exit(1);
await db.close();
