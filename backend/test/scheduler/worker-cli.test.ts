import type { TestDatabase } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OLD_RUN, rebuildCopies, seedPopulation } from "../faults/support.ts";
import { cliScript, startChild } from "../support/child.ts";
import { cli, useCliDatabase } from "../support/cli.ts";

/** Runs the CLI as on the embedded database (no DATABASE_URL), which it must refuse before opening. */
async function embedded(...argv: string[]) {
  const saved = process.env.DATABASE_URL;
  delete process.env.DATABASE_URL;
  try {
    return await cli(...argv);
  } finally {
    if (saved !== undefined) process.env.DATABASE_URL = saved;
  }
}

let server: TestDatabase | undefined;
beforeAll(async () => {
  server = await useCliDatabase("worker-cli");
  if (server) await seedPopulation(server, 60);
}, 120_000);
afterAll(async () => {
  delete process.env.DATABASE_URL;
  await server?.close();
});

describe("worker processes from the CLI", () => {
  it("refuses `worker` and `--workers` on the embedded database, exit 2, saying why and what instead", async () => {
    const worker = await embedded("worker");
    expect(worker.code).toBe(2);
    expect(worker.err).toMatch(
      /^error: worker needs PostgreSQL \(DATABASE_URL\): the embedded database's folder belongs to one process.*Use `pnpm job scheduler`/,
    );
    const full = await embedded("match-scores", "--mode", "full", "--workers", "2");
    expect(full.code).toBe(2);
    expect(full.err).toMatch(/^error: --workers needs PostgreSQL \(DATABASE_URL\)/);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    "refuses --workers for anything but a full run, exit 2",
    async () => {
      for (const argv of [
        ["match-scores", "--workers", "2"],
        ["match-scores", "--mode", "incremental", "--workers", "2"],
        ["match-scores", "--mode", "full", "--user-id", "u1", "--workers", "2"],
        ["match-scores", "--mode", "full", "--dry-run", "--workers", "2"],
      ]) {
        const refused = await cli(...argv);
        expect(refused.code, argv.join(" ")).toBe(2);
        expect(refused.err).toMatch(
          /--workers spreads the shards of a full run: use it with --mode full, without --user-id, --post-id or --dry-run/,
        );
      }
      expect((await cli("match-scores", "--mode", "full", "--workers", "0")).code).toBe(2);
    },
  );

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    "runs a full run's shards on the worker processes it starts, and stops them after",
    async () => {
      const result = await cli(
        "match-scores",
        "--mode",
        "full",
        "--as-of",
        OLD_RUN.toISOString(),
        "--workers",
        "2",
        "--set",
        "shardSize=10",
        "--json",
      );
      expect(result.code, result.err).toBe(0);
      const summary = JSON.parse(result.out);
      expect(summary.status).toBe("SUCCESS");
      const shards = summary.metadata.shards as { pid: number }[];
      expect(shards.length).toBeGreaterThan(1);
      // This process coordinated: every shard ran in a worker process.
      const pids = new Set(shards.map((shard) => shard.pid));
      expect(pids.has(process.pid)).toBe(false);
      expect(pids.size).toBeLessThanOrEqual(2);
      const started = [...result.err.matchAll(/^worker (\d): .* worker (\d+): /gm)];
      expect(started.map((match) => match[1]).sort()).toEqual(["1", "2"]);
      for (const [, , pid] of started) {
        expect(() => process.kill(Number(pid), 0), `worker ${pid} still running`).toThrow();
      }
    },
    180_000,
  );

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    "on Ctrl-C cancels the run (no copy left), stops its workers and exits 1",
    async () => {
      const before = await server?.prisma.jobRun.count({ where: { jobName: "match-scores" } });
      const args = ["match-scores", "--mode", "full", "--as-of", OLD_RUN.toISOString()];
      const child = startChild(
        cliScript,
        [...args, "--workers", "2", "--set", "shardSize=10"],
        // Each shard attempt waits 3 s before scoring: the signal lands mid-run.
        { ...process.env, FEED_JOBS_PAUSE_AT: "shard:scoring", FEED_JOBS_PAUSE_MS: "3000" },
      );
      const startedPids = () =>
        [...child.output().matchAll(/^worker \d: .* worker (\d+): /gm)].map((m) => Number(m[1]));
      await child.waitFor("paused at shard:scoring");
      // One worker can still be opening its queues when the other pauses (CI, PostgreSQL): the
      // signal waits until both have told their pids, which the test then sees stop.
      while (startedPids().length < 2) await new Promise((resolve) => setTimeout(resolve, 100));
      child.proc.kill("SIGINT");
      const exit = await child.exited;
      expect(exit.code, child.output()).toBe(1);
      const output = child.output();
      expect(output).toContain("SIGINT: cancelling match-scores at its next checkpoint");
      expect(output).toMatch(/match-scores: CANCELLED/);
      const pids = startedPids();
      expect(pids, output).toHaveLength(2);
      for (const pid of pids) expect(() => process.kill(pid, 0), `worker ${pid}`).toThrow();
      if (!server) return;
      const runs = await server.prisma.jobRun.findMany({
        where: { jobName: "match-scores" },
        orderBy: { startedAt: "desc" },
      });
      expect(runs, output).toHaveLength((before ?? 0) + 1);
      expect(runs[0]?.status, output).toBe("CANCELLED");
      expect(await rebuildCopies(server)).toEqual([]);
    },
    180_000,
  );
});
