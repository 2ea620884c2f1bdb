// Child process of the distributed tests: a scheduler that only queues ticks (ROLE=scheduler,
// as `pnpm job scheduler --no-worker`) or a worker (ROLE=worker, as `pnpm job worker`), with the
// tick-shards job only, on DATABASE_URL.
import { openDatabase } from "@feed-jobs/db";
import { runUntilSignalled, workUntilSignalled } from "../../../src/scheduler/process.ts";
import { tickShardsJob } from "./tick-shards-job.ts";

const options = {
  jobs: [tickShardsJob],
  log: (line: string) => process.stdout.write(`${line}\n`),
  shutdownTimeoutMs: 10_000,
};
const db = await openDatabase(process.env);
const roles = {
  scheduler: () => runUntilSignalled(db, { ...options, worker: false, port: 0 }),
  worker: () => workUntilSignalled(db, { ...options, concurrency: 1 }),
};
const role = roles[process.env.ROLE as keyof typeof roles];
if (!role) throw new Error(`ROLE must be scheduler or worker, not ${process.env.ROLE}`);
const finished = await role();
await db.close();
if (!finished) process.exit(1);
