import type { TestDatabase } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matchTables, OLD_RUN, seedPopulation } from "../faults/support.ts";
import { cli, useCliDatabase } from "../support/cli.ts";

let server: TestDatabase | undefined;
beforeAll(async () => {
  server = await useCliDatabase("match-workers");
  if (server) await seedPopulation(server, 300);
}, 120_000);
afterAll(async () => {
  delete process.env.DATABASE_URL;
  await server?.close();
});

/** `pnpm job match-scores --mode full` as of OLD_RUN, searching in memory, with `extra` arguments. */
async function fullRun(...extra: string[]) {
  const argv = ["match-scores", "--mode", "full", "--as-of", OLD_RUN.toISOString()];
  const result = await cli(...argv, "--set", "candidateSearch=memory", ...extra, "--json");
  expect(result.code, result.err).toBe(0);
  return JSON.parse(result.out) as { metadata: { shards: { pid: number }[] } };
}

describe.skipIf(!process.env.TEST_DATABASE_URL)("match-scores on worker processes", () => {
  it("three workers' shards leave row for row the tables of one process", async () => {
    const db = server as TestDatabase;
    const spread = await fullRun("--set", "shardSize=40", "--workers", "3");
    const pids = new Set(spread.metadata.shards.map((shard) => shard.pid));
    expect(spread.metadata.shards.length).toBeGreaterThan(3);
    expect(pids.has(process.pid)).toBe(false);
    const byWorkers = await matchTables(db);
    expect(byWorkers.length).toBeGreaterThan(1_000);

    const alone = await fullRun("--set", "shardSize=1000000");
    expect(alone.metadata.shards.map((shard) => shard.pid)).toEqual([process.pid]);
    expect(await matchTables(db)).toEqual(byWorkers);
  }, 300_000);
});
