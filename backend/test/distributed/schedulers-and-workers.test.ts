import { fileURLToPath } from "node:url";
import { createTestDatabase, type TestDatabase } from "@feed-jobs/db/testing";
import { runQueue } from "@feed-jobs/jobs";
import { afterAll, describe, expect, it } from "vitest";
import { type Child, startChild } from "../support/child.ts";
import {
  createTickTables,
  TICK_ITEMS,
  TICK_SHARD_SIZE,
  tickScores,
  tickShardsJob,
} from "./support/tick-shards-job.ts";

const script = fileURLToPath(new URL("./support/queue-child.ts", import.meta.url));

/**
 * Two schedulers that only queue ticks and three workers, each a process, on one PostgreSQL:
 * a sharded job ticking every other second. Each tick is claimed by one scheduler and runs
 * once, on some worker (or is skipped while the previous run goes on), its shards spread over
 * the workers, each shard once.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)("two schedulers and three workers", () => {
  let db: TestDatabase;
  const children: Child[] = [];
  afterAll(async () => {
    for (const child of children) child.proc.kill("SIGKILL");
    await Promise.all(children.map((child) => child.exited));
    await db?.close();
  });

  /** Processes of `role`; resolves once each works (a scheduler: its schedule registered). */
  async function start(role: "scheduler" | "worker", count: number): Promise<Child[]> {
    const env = {
      ...process.env,
      DATABASE_URL: db.url,
      ROLE: role,
      FEED_JOBS_QUEUE_POLL_SECONDS: "0.5",
    };
    const started = Array.from({ length: count }, () => startChild(script, [], env));
    children.push(...started);
    const ready = role === "scheduler" ? "1 schedules, worker off" : "1 jobs";
    await Promise.all(started.map((child) => child.waitFor(ready)));
    return started;
  }

  /** SIGTERM; each stops gracefully. */
  async function stop(processes: readonly Child[]) {
    for (const child of processes) child.proc.kill("SIGTERM");
    const exits = await Promise.all(processes.map((child) => child.exited));
    expect(exits.map((exit) => exit.code)).toEqual(processes.map(() => 0));
  }

  /** Ticks queued or running. */
  const pendingTicks = async () => {
    const [row] = await db.prisma.$queryRawUnsafe<{ n: number }[]>(
      "SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state IN ('created', 'retry', 'active')",
      runQueue(tickShardsJob.name),
    );
    return row?.n ?? 0;
  };

  it("runs each tick once and each of its shards once", async () => {
    db = await createTestDatabase();
    await createTickTables(db);
    const [schedulers, workers] = await Promise.all([start("scheduler", 2), start("worker", 3)]);
    // About 8 s of ticks; longer while a loaded machine's schedulers claim them late.
    const claimed = () => db.prisma.schedulerTick.count();
    await expect.poll(claimed, { timeout: 60_000, interval: 500 }).toBeGreaterThanOrEqual(4);
    await stop(schedulers);
    // The ticks queued before the schedulers stopped still run.
    await expect.poll(pendingTicks, { timeout: 30_000, interval: 250 }).toBe(0);
    await stop(workers);

    const ticks = await db.prisma.schedulerTick.findMany({ orderBy: { key: "asc" } });
    const runs = await db.prisma.jobRun.findMany({
      where: { jobName: tickShardsJob.name },
      include: { shards: { orderBy: { shardIndex: "asc" } } },
      orderBy: { asOf: "asc" },
    });
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    // Each claimed tick ends once: one run as of its scheduled time (the time its key ends
    // with), or skipped by a worker, which says why (by design a busy job does not pile up its
    // ticks: a tick is kept until its next one; a loaded machine's first runs take seconds).
    const said = workers.map((worker) => worker.output()).join("\n");
    for (const { key } of ticks) {
      const slot = key.replace(`${tickShardsJob.name}/every-2-seconds:`, "");
      const ran = runs.filter((run) => run.asOf?.toISOString() === slot).length;
      const skipped = said.split(`${key} skipped: `).length - 1;
      expect({ key, ran, skipped }).toEqual({ key, ran: 1 - skipped, skipped: 1 - ran });
    }
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(runs.length).toBe(new Set(runs.map((run) => run.asOf?.getTime())).size);
    expect(
      runs.every((run) => ticks.some(({ key }) => key.endsWith(run.asOf?.toISOString() ?? "?"))),
    ).toBe(true);
    const workerPids = workers.map((worker) => worker.proc.pid);
    const shardCount = TICK_ITEMS / TICK_SHARD_SIZE;
    for (const run of runs) {
      expect([run.trigger, run.status, run.error]).toEqual(["CRON", "SUCCESS", null]);
      expect(run.shards.map((shard) => [shard.status, shard.attempt])).toEqual(
        Array.from({ length: shardCount }, () => ["DONE", 1]),
      );
      for (const shard of run.shards) expect(workerPids).toContain(shard.pid);
    }
    const last = runs.at(-1)?.asOf;
    expect(await tickScores(db)).toEqual(
      Array.from({ length: TICK_ITEMS }, (_, i) => ({ id: i + 1, as_of: last })),
    );
  });
});
