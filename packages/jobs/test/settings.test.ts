import { randomUUID } from "node:crypto";
import type { Database } from "@feed-jobs/db";
import { createTestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  ConfigError,
  changeSettings,
  defineJob,
  effectiveOverrides,
  readSettings,
  runJob,
  settingsHistory,
  writeSettings,
} from "../src/index.ts";

const config = z.strictObject({
  batchSize: z.number().int().positive().default(10),
  weights: z
    .strictObject({
      quiz: z.number().nonnegative().default(0.5),
      age: z.number().nonnegative().default(0.5),
    })
    .default({ quiz: 0.5, age: 0.5 }),
});
type Config = z.infer<typeof config>;

/** A job with two versions that records what each run saw. */
function settingsJob(name: string) {
  const seen: { version: string; config: Config }[] = [];
  const job = defineJob({
    name,
    description: "a job for stored-settings tests",
    algorithmVersion: "s1",
    algorithms: { s1: "the first", s2: "the second" },
    schedules: [],
    config,
    budget: { maxRowsScanned: 100, maxRowsWritten: 10, maxRuntimeMs: 60_000 },
    accepts: [],
    run: async (ctx) => {
      seen.push({ version: ctx.algorithmVersion, config: ctx.config });
    },
  });
  return { job, seen };
}

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

const runsOf = (jobName: string) => db.prisma.jobRun.findMany({ where: { jobName } });

describe(`stored job settings (${testDatabaseKind()})`, () => {
  it("numbers each job's versions 1, 2, 3 and reads the newest, with who wrote it and why", async () => {
    const { job } = settingsJob("numbered");
    expect(await readSettings(db, job.name)).toBeNull();
    const now = new Date("2026-03-01T12:00:00.123Z");
    expect(await writeSettings(db, job, { batchSize: 3 }, { actor: "cli", note: "small" })).toBe(1);
    expect(await writeSettings(db, job, { batchSize: 4 }, { actor: "tune", now })).toBe(2);
    expect(await writeSettings(db, settingsJob("other").job, {})).toBe(1);
    expect(await writeSettings(db, job, {})).toBe(3);
    expect(await readSettings(db, job.name)).toMatchObject({ version: 3, settings: {} });
    const history = await settingsHistory(db, job.name, 2);
    expect(history).toEqual([
      expect.objectContaining({ version: 3, note: null, actor: null }),
      { version: 2, settings: { batchSize: 4 }, note: null, actor: "tune", createdAt: now },
    ]);
  });

  it("gives concurrent writers different versions", async () => {
    const { job } = settingsJob("concurrent");
    const versions = await Promise.all(
      Array.from({ length: 8 }, (_, i) => writeSettings(db, job, { batchSize: i + 1 })),
    );
    expect([...versions].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("refuses invalid settings at write, naming the key, and stores nothing", async () => {
    const { job } = settingsJob("refused");
    await expect(writeSettings(db, job, { weights: { quizz: 1 } })).rejects.toThrow(
      /unknown config key "weights.quizz"/,
    );
    await expect(writeSettings(db, job, { batchSize: -1 })).rejects.toThrow(/"batchSize"/);
    await expect(writeSettings(db, job, { algorithm: "s3" })).rejects.toThrow(
      /"algorithm" is "s3"; refused has versions s1, s2/,
    );
    await expect(writeSettings(db, job, [] as unknown as Record<string, unknown>)).rejects.toThrow(
      ConfigError,
    );
    expect(await settingsHistory(db, job.name, 10)).toEqual([]);
  });

  it("runs with the stored settings under the request's overrides, key by key", async () => {
    const { job, seen } = settingsJob("layered");
    await writeSettings(db, job, { batchSize: 3, weights: { quiz: 0.9 } });
    const stored = await runJob(db, job);
    const layered = await runJob(db, job, { overrides: { weights: { age: 0.1 } } });
    const set = await runJob(db, job, { overrides: { batchSize: 7, weights: { quiz: 0.2 } } });
    expect(seen.map((s) => s.config)).toEqual([
      { batchSize: 3, weights: { quiz: 0.9, age: 0.5 } },
      { batchSize: 3, weights: { quiz: 0.9, age: 0.1 } },
      { batchSize: 7, weights: { quiz: 0.2, age: 0.5 } },
    ]);
    expect(stored.metadata).toMatchObject({ settingsVersion: 1 });
    expect(layered.metadata.overrides).toEqual({ batchSize: 3, weights: { quiz: 0.9, age: 0.1 } });
    const recorded = await db.prisma.jobRun.findUniqueOrThrow({ where: { id: set.runId } });
    expect(recorded.metadata).toMatchObject({
      settingsVersion: 1,
      overrides: { batchSize: 7, weights: { quiz: 0.2 } },
    });
    // eval and tune see the same layering.
    expect(await effectiveOverrides(db, job, { weights: { age: 0.1 } })).toEqual(
      layered.metadata.overrides,
    );
  });

  it("records settingsVersion null and the request's overrides when a job has none", async () => {
    const { job } = settingsJob("unset");
    const summary = await runJob(db, job, { overrides: { batchSize: 2 } });
    expect(summary.metadata).toMatchObject({ settingsVersion: null, overrides: { batchSize: 2 } });
    expect(await effectiveOverrides(db, job, { batchSize: 2 })).toEqual({ batchSize: 2 });
  });

  it("makes scheduled runs use the stored algorithm; a run's own choice wins", async () => {
    const { job, seen } = settingsJob("versioned");
    await writeSettings(db, job, { algorithm: "s2" }, { actor: "tune" });
    const scheduled = await runJob(db, job, { trigger: "CRON" });
    const chosen = await runJob(db, job, { overrides: { algorithm: "s1" } });
    expect(seen.map((s) => s.version)).toEqual(["s2", "s1"]);
    const recorded = await db.prisma.jobRun.findUniqueOrThrow({ where: { id: scheduled.runId } });
    expect(recorded).toMatchObject({ trigger: "CRON", algorithmVersion: "s2" });
    expect(recorded.metadata).toMatchObject({ settingsVersion: 1, overrides: { algorithm: "s2" } });
    expect(chosen.metadata).toMatchObject({ overrides: { algorithm: "s1" } });
  });

  it("a reset is a new version with no overrides: runs use the defaults again", async () => {
    const { job, seen } = settingsJob("reset");
    await writeSettings(db, job, { algorithm: "s2", batchSize: 5 });
    expect(await writeSettings(db, job, {}, { note: "reset" })).toBe(2);
    const summary = await runJob(db, job);
    expect(seen).toEqual([
      { version: "s1", config: { batchSize: 10, weights: config.parse({}).weights } },
    ]);
    expect(summary.metadata).toMatchObject({ settingsVersion: 2, overrides: {} });
  });

  it("refuses a run whose stored settings no longer validate, naming the version and key, before any JobRun", async () => {
    const { job, seen } = settingsJob("outdated");
    await writeSettings(db, job, { batchSize: 4 });
    // As if an upgrade removed a key that version 2 set.
    await db.prisma.jobSettings.create({
      data: {
        id: randomUUID(),
        jobName: job.name,
        version: 2,
        settings: { weights: { goal: 1 } },
      },
    });
    const refused = runJob(db, job, { trigger: "CRON" });
    await expect(refused).rejects.toThrow(ConfigError);
    await expect(refused).rejects.toThrow(
      /outdated's stored settings version 2 no longer validate \(.*unknown config key "weights.goal"/,
    );
    await expect(effectiveOverrides(db, job, {})).rejects.toThrow(/version 2/);
    expect(seen).toEqual([]);
    expect(await runsOf(job.name)).toEqual([]);
  });
});

describe("changeSettings", () => {
  const current = { algorithm: "s2", batchSize: 4, weights: { quiz: 0.9, age: 0.1 } };

  it("removes dotted keys, and a group left empty", () => {
    expect(changeSettings(current, { unset: ["weights.quiz", "batchSize"] })).toEqual({
      algorithm: "s2",
      weights: { age: 0.1 },
    });
    expect(changeSettings(current, { unset: ["weights.quiz", "weights.age"] })).toEqual({
      algorithm: "s2",
      batchSize: 4,
    });
  });

  it("lays set keys over the current ones, key by key, after the unsets", () => {
    expect(
      changeSettings(current, {
        unset: ["algorithm"],
        set: { weights: { age: 0.3 }, batchSize: 8 },
      }),
    ).toEqual({ batchSize: 8, weights: { quiz: 0.9, age: 0.3 } });
  });

  it("refuses to unset a key that is not there", () => {
    expect(() => changeSettings(current, { unset: ["weights.goal"] })).toThrow(
      "--unset weights.goal: not in the stored settings",
    );
    expect(() => changeSettings(current, { unset: ["batchSize.x"] })).toThrow(ConfigError);
  });

  it("leaves the current settings as they were", () => {
    const before = structuredClone(current);
    changeSettings(current, { unset: ["weights.quiz"], set: { weights: { age: 1 } } });
    expect(current).toEqual(before);
  });
});
