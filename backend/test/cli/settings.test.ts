import { randomUUID } from "node:crypto";
import type { TestDatabase } from "@feed-jobs/db/testing";
import { testDatabaseKind } from "@feed-jobs/db/testing";
import { runJob } from "@feed-jobs/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withDatabase } from "../../src/cli/database.ts";
import { compatibilityJob } from "../../src/jobs/compatibility/job.ts";
import { addUsers, now, storedPairs, thread } from "../jobs/compatibility.support.ts";
import { cli, useCliDatabase } from "../support/cli.ts";
import { fixtures } from "../support/fixtures.ts";

const asOf = ["--as-of", now.toISOString()];
const recencyDefault = compatibilityJob.config.parse({}).v2.weights.recency;

let server: TestDatabase | undefined;
beforeAll(async () => {
  server = await useCliDatabase("settings");
  await withDatabase(async (db) => {
    const f = fixtures(db, now);
    await addUsers(f, "amy", "bob");
    await thread(f, "ab", [
      { from: "amy", to: "bob", minutesAgo: 90 },
      { from: "bob", to: "amy", minutesAgo: 60 },
    ]);
  });
});
afterAll(async () => {
  delete process.env.DATABASE_URL;
  await server?.close();
});

const settings = (...args: string[]) => cli("settings", "compatibility", ...args);
const versions = async () =>
  (JSON.parse((await settings("--history", "--json")).out) as { version: number }[]).map(
    (v) => v.version,
  );
const runCount = () => withDatabase((db) => db.prisma.jobRun.count());

describe(`pnpm job settings (${testDatabaseKind()})`, () => {
  it("says when a job has no stored settings", async () => {
    const shown = await settings();
    expect(shown.code).toBe(0);
    expect(shown.out).toContain("compatibility: no stored settings; runs use the defaults.");
    expect(shown.out).toContain("Resolved config: every key at its default.");
    expect((await settings("--history")).out).toContain("no stored settings");
  });

  it("--set writes version 1, prints the change, and shows it with who wrote it and why", async () => {
    const written = await settings(
      "--set",
      "algorithm=compatibility-v2",
      "--set",
      "v2.weights.recency=2",
      "--note",
      "try v2",
    );
    expect(written.code).toBe(0);
    expect(written.out).toContain("compatibility: wrote settings version 1 (the first)");
    expect(written.out).toContain('+ algorithm = "compatibility-v2"');
    expect(written.out).toContain("+ v2.weights.recency = 2");
    const shown = await settings();
    expect(shown.out).toMatch(
      /compatibility: settings version 1, written \S+ by cli@\S+ — try v2:/,
    );
    expect(shown.out).toContain("Resolved config, keys that differ from the defaults:");
    expect(shown.out).toContain('algorithm = "compatibility-v2" (default "compatibility-v1")');
    expect(shown.out).toContain(`v2.weights.recency = 2 (default ${recencyDefault})`);
  });

  it("a scheduled run uses the stored algorithm and settings; the JobRun and rows carry them", async () => {
    // One open for the run and its reads: each open of the embedded folder takes seconds.
    const { summary, run, pairs } = await withDatabase(async (db) => {
      const summary = await runJob(db, compatibilityJob, { trigger: "CRON", asOf: now });
      return {
        summary,
        run: await db.prisma.jobRun.findUniqueOrThrow({ where: { id: summary.runId } }),
        pairs: await storedPairs(db),
      };
    });
    expect(summary.status).toBe("SUCCESS");
    expect(summary.metadata).toMatchObject({
      settingsVersion: 1,
      overrides: { algorithm: "compatibility-v2", v2: { weights: { recency: 2 } } },
      config: { v2: { weights: { recency: 2 } } },
    });
    expect(run).toMatchObject({ trigger: "CRON", algorithmVersion: "compatibility-v2" });
    expect(pairs.map((p) => p.algorithmVersion)).toEqual(["compatibility-v2", "compatibility-v2"]);
  });

  it("a manual run's --algorithm and --set win over the stored settings, key by key", async () => {
    const result = await cli(
      "compatibility",
      ...asOf,
      "--algorithm",
      "compatibility-v1",
      "--set",
      "v2.weights.activity=0",
      "--json",
    );
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.out) as { metadata: Record<string, unknown> };
    expect(summary.metadata).toMatchObject({
      settingsVersion: 1,
      overrides: { algorithm: "compatibility-v1", v2: { weights: { recency: 2, activity: 0 } } },
    });
    const pairs = await withDatabase(storedPairs);
    expect(pairs.map((p) => p.algorithmVersion)).toEqual(["compatibility-v1", "compatibility-v1"]);
  });

  it("refuses invalid settings, naming the key, and writes nothing", async () => {
    const unknown = await settings("--set", "v2.weights.recencyy=1");
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown config key "v2.weights.recencyy"');
    const negative = await settings("--set", "v2.weights.recency=-1");
    expect(negative.code).toBe(2);
    expect(negative.err).toContain('"v2.weights.recency"');
    const absent = await settings("--unset", "lookbackDays");
    expect(absent.code).toBe(2);
    expect(absent.err).toContain("--unset lookbackDays: not in the stored settings");
    expect(await versions()).toEqual([1]);
  });

  it("changes and removes keys in new versions, starting from the current one", async () => {
    const changed = await settings("--set", "v2.weights.recency=3");
    expect(changed.out).toContain("wrote settings version 2 (was version 1)");
    expect(changed.out).toContain("~ v2.weights.recency: 2 -> 3");
    const same = await settings("--set", "v2.weights.recency=3");
    expect(same.out).toContain("compatibility: no change; settings version 2 stays in force.");
    const removed = await settings("--unset", "v2.weights.recency");
    expect(removed.out).toContain("wrote settings version 3 (was version 2)");
    expect(removed.out).toContain("- v2.weights.recency (was 3)");
    expect(removed.out).not.toContain("algorithm");
    expect(await versions()).toEqual([3, 2, 1]);
  });

  it("refuses runs (exit 2, no JobRun) while the stored settings no longer validate, until fixed", async () => {
    // As if an upgrade removed a key that version 4 sets.
    const before = await withDatabase(async (db) => {
      await db.prisma.jobSettings.create({
        data: {
          id: randomUUID(),
          jobName: "compatibility",
          version: 4,
          settings: { algorithm: "compatibility-v2", pairQuota: 9 },
        },
      });
      return db.prisma.jobRun.count();
    });
    const refused = await cli("compatibility", ...asOf);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(
      /compatibility's stored settings version 4 no longer validate \(.*unknown config key "pairQuota"/,
    );
    expect(refused.err).toContain("pnpm job settings compatibility --unset <key>");
    expect(refused.err).not.toMatch(/\n\s+at /);
    expect(await runCount()).toBe(before);
    const shown = await settings();
    expect(shown.code).toBe(2);
    expect(shown.out).toContain("  pairQuota = 9");
    expect(shown.err).toContain("version 4 no longer validate");
    const fixed = await settings("--unset", "pairQuota");
    expect(fixed.code).toBe(0);
    expect(fixed.out).toContain("wrote settings version 5 (was version 4)");
    expect((await cli("compatibility", ...asOf)).code).toBe(0);
  });

  it("--reset writes an empty version: runs use the defaults again", async () => {
    const reset = await settings("--reset", "--note", "back to defaults");
    expect(reset.code).toBe(0);
    expect(reset.out).toContain("wrote settings version 6 (was version 5)");
    expect(reset.out).toContain('- algorithm (was "compatibility-v2")');
    const shown = (await settings()).out;
    expect(shown).toContain("settings version 6");
    expect(shown).toContain("(no overrides)");
    const run = await cli("compatibility", ...asOf, "--json");
    const summary = JSON.parse(run.out) as { metadata: Record<string, unknown> };
    expect(summary.metadata).toMatchObject({ settingsVersion: 6, overrides: {} });
    expect((await settings("--reset")).out).toContain("no change; settings version 6 stays");
  });

  it("--history lists the versions newest first, with who, when, what and why", async () => {
    const history = await settings("--history", "--limit", "2");
    expect(history.code).toBe(0);
    const lines = history.out.split("\n");
    expect(lines[0]).toMatch(/^version\s+written\s+by\s+settings\s+note$/);
    expect(lines.slice(2).map((l) => l.split(/\s+/)[0])).toEqual(["6", "5"]);
    expect(lines[2]).toMatch(/^6\s+\S+Z\s+cli@\S+\s+\{\}\s+back to defaults$/);
  });

  it("refuses an unknown job and flags that do not go together", async () => {
    const unknown = await cli("settings", "nope");
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('no job "nope"');
    expect((await settings("--reset", "--set", "lookbackDays=3")).code).toBe(2);
    expect((await settings("--history", "--unset", "lookbackDays")).code).toBe(2);
    expect((await settings("--note", "why")).code).toBe(2);
    expect(await versions()).toEqual([6, 5, 4, 3, 2, 1]);
  });
});
