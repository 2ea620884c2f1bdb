import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { type Database, migrate, openDatabase } from "@feed-jobs/db";
import type { TestDatabase } from "@feed-jobs/db/testing";
import { defineJob, runJob } from "@feed-jobs/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { cli, useCliDatabase } from "../support/cli.ts";

let server: TestDatabase | undefined;
beforeAll(async () => {
  server = await useCliDatabase("abandoned");
});
afterAll(async () => {
  delete process.env.DATABASE_URL;
  await server?.close();
});

/** The test's own connection: the server database, or the CLI's embedded folder while the CLI is not using it. */
async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  if (server) return fn(server);
  const db = await openDatabase();
  try {
    await migrate(db);
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** A run of `cleanup` as a process on this host left it when it was killed. */
async function insertKilledRun(id: string): Promise<number> {
  const pid = spawnSync(process.execPath, ["-e", ""]).pid;
  await withDb((db) =>
    db.prisma.jobRun.create({
      data: { id, jobName: "cleanup", status: "RUNNING", trigger: "CRON", host: hostname(), pid },
    }),
  );
  return pid;
}

const abandonedLine = (out: string) => out.split("\n").find((line) => line.includes("abandoned"));

describe("runs, cancel and health on a run whose process is gone", () => {
  it("runs shows it ABANDONED, health fires, cancel records it FAILED at once (exit 0)", async () => {
    const pid = await insertKilledRun("killed-run-1");
    const reason = `abandoned: process ${pid} on host ${hostname()} is gone`;
    const listed = await cli("runs");
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^killed-r {2}cleanup {2}ABANDONED {2}CRON/m);
    expect(listed.out).toContain("`cancel <run>` marks it FAILED now");
    const json = JSON.parse((await cli("runs", "--json")).out);
    expect(json[0]).toMatchObject({ id: "killed-run-1", status: "RUNNING", abandoned: reason });

    const sick = await cli("health");
    expect(sick.code).toBe(1);
    expect(abandonedLine(sick.out)).toBe(
      `FIRING  1 abandoned run(s), RUNNING with their process gone: cleanup run killed-run-1 (${reason}). \`cancel <run>\` records them FAILED`,
    );

    const cancelled = await cli("cancel", "killed-r");
    expect(cancelled).toMatchObject({
      code: 0,
      out: `cleanup run killed-run-1 was ${reason}: recorded FAILED`,
    });
    const row = await withDb((db) =>
      db.prisma.jobRun.findUniqueOrThrow({ where: { id: "killed-run-1" } }),
    );
    expect(row).toMatchObject({ status: "FAILED", error: reason });
    expect(row.completedAt).not.toBeNull();
    expect(abandonedLine((await cli("health")).out)).toBe(
      "ok      No abandoned runs (RUNNING with their process gone)",
    );
    expect((await cli("cancel", "killed-run-1")).err).toMatch(/is FAILED, not RUNNING/);
  });

  // A live run holds its job's lock on the server; the embedded database has one process only.
  it.skipIf(!process.env.TEST_DATABASE_URL)(
    "leaves a live run RUNNING everywhere, and cancel stops it at its next checkpoint",
    async () => {
      const job = defineJob({
        name: "cleanup",
        description: "stands in for a live cleanup run in another process",
        algorithmVersion: "t1",
        schedules: [],
        config: z.strictObject({}),
        budget: { maxRowsScanned: 1, maxRowsWritten: 1, maxRuntimeMs: 60_000 },
        accepts: [],
        run: async (ctx) => {
          for (;;) {
            await ctx.checkpoint();
            await sleep(20);
          }
        },
      });
      const live = runJob(server as Database, job);
      const running = await withDb(async (db) => {
        for (;;) {
          const run = await db.prisma.jobRun.findFirst({ where: { status: "RUNNING" } });
          if (run) return run;
          await sleep(20);
        }
      });
      const json = JSON.parse((await cli("runs", "--status", "RUNNING", "--json")).out);
      expect(json).toMatchObject([{ id: running.id, abandoned: null }]);
      expect(abandonedLine((await cli("health")).out)).toMatch(/^ok {6}No abandoned runs/);
      expect((await cli("cancel", running.id)).out).toBe(
        `cancel requested: cleanup run ${running.id} stops at its next batch boundary`,
      );
      expect(await live).toMatchObject({ status: "CANCELLED", error: "cancelled by an operator" });
    },
  );
});
