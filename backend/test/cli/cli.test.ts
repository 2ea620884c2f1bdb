import type { TestDatabase } from "@feed-jobs/db/testing";
import { algorithmVersions } from "@feed-jobs/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalog } from "../../src/jobs/catalog.ts";
import { configDefaults, configKeys } from "../../src/jobs/config-keys.ts";
import { cli, useCliDatabase } from "../support/cli.ts";

let server: TestDatabase | undefined;
beforeAll(async () => {
  server = await useCliDatabase("cli");
});
afterAll(async () => {
  delete process.env.DATABASE_URL;
  await server?.close();
});

describe("the job CLI", () => {
  it("prints help for the program and exits 0", async () => {
    const result = await cli("--help");
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/runs \[options\]/);
    expect(result.out).toMatch(/schedule \[options\]/);
  });

  it("rejects an unknown command and an unknown option with exit code 2", async () => {
    expect(await cli("no-such-job")).toMatchObject({
      code: 2,
      err: expect.stringMatching(/unknown command 'no-such-job'/),
    });
    expect(await cli("runs", "--bogus")).toMatchObject({
      code: 2,
      err: expect.stringMatching(/unknown option '--bogus'/),
    });
  });

  it("rejects invalid values naming the option", async () => {
    const result = await cli("runs", "--limit", "0");
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/--limit <n>.*expected a positive whole number, got "0"/);
    expect((await cli("runs", "--status", "DONE")).code).toBe(2);
  });

  it("shows the run history as a table and as JSON", async () => {
    const empty = await cli("runs");
    expect(empty).toMatchObject({ code: 0, out: "No runs recorded yet." });
    const json = await cli("runs", "--json", "--limit", "5");
    expect(JSON.parse(json.out)).toEqual([]);
  });

  it("lists every declared schedule with its next fire time", async () => {
    const result = await cli("schedule", "--json");
    expect(result.code).toBe(0);
    const entries = JSON.parse(result.out) as { job: string; nextRun: string }[];
    const declared = catalog.flatMap((job) => job.schedules.map(() => job.name));
    expect(entries.map((e) => e.job)).toEqual(declared);
    for (const entry of entries) expect(Date.parse(entry.nextRun)).toBeGreaterThan(0);
  });

  it("migrates explicitly and says when it is up to date", async () => {
    const result = await cli("db", "migrate");
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/up to date|applied/);
    expect((await cli("db", "migrate")).out).toMatch(/^up to date/);
  });
});

describe.each(catalog.map((job) => [job.name, job] as const))("job command %s", (name, job) => {
  it("documents its config defaults, budget and schedules in --help", async () => {
    const result = await cli(name, "--help");
    expect(result.code).toBe(0);
    expect(result.out).toContain(`  ${job.algorithmVersion} (default)`);
    for (const version of algorithmVersions(job)) expect(result.out).toContain(`  ${version}`);
    const lines = result.out.split("\n");
    for (const [key, value] of configKeys(job))
      expect(lines).toContain(`  ${key} = ${JSON.stringify(value)}`);
  });

  it("rejects an unknown --algorithm or config algorithm naming the value and the versions", async () => {
    const versions = algorithmVersions(job).join(", ");
    const flag = await cli(name, "--algorithm", "no-such-v9");
    expect(flag.code).toBe(2);
    expect(flag.err).toContain(
      `--algorithm no-such-v9: ${name} has no such version (versions: ${versions})`,
    );
    const set = await cli(name, "--set", "algorithm=no-such-v9");
    expect(set.code).toBe(2);
    expect(set.err).toContain(`"algorithm" is "no-such-v9"; ${name} has versions ${versions}`);
  });

  it("rejects an unknown config key and an invalid value before running", async () => {
    const unknown = await cli(name, "--set", "noSuchKey=1");
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown config key "noSuchKey"/);
    const [key] = Object.keys(configDefaults(job));
    if (key) {
      const invalid = await cli(name, "--set", `${key}={"not":"valid"}`);
      expect(invalid.code).toBe(2);
      expect(invalid.err).toContain(`"${key}"`);
    }
  });

  const nested = configKeys(job).find(([key]) => key.includes("."));
  it.runIf(nested)("takes nested keys dotted, naming the full path when one is wrong", async () => {
    const [key] = nested as [string, unknown];
    const group = key.slice(0, key.lastIndexOf("."));
    const unknown = await cli(name, "--set", `${group}.noSuchKey=1`);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain(`unknown config key "${group}.noSuchKey"`);
    const wrongType = await cli(name, "--set", `${key}="fast"`);
    expect(wrongType.code).toBe(2);
    expect(wrongType.err).toMatch(new RegExp(`"${key}": .*expected number, received string`));
    const notAGroup = await cli(name, "--set", `${group}=1`, "--set", `${key}=0`);
    expect(notAGroup.code).toBe(2);
    expect(notAGroup.err).toContain(`"${group}" was already set to a value`);
  });

  it("rejects a bad --as-of and a bad --batch-size", async () => {
    expect((await cli(name, "--as-of", "yesterday")).err).toMatch(/expected an ISO 8601 time/);
    expect((await cli(name, "--as-of", "2999-01-01T00:00:00Z")).err).toMatch(/in the future/);
    if ("batchSize" in configDefaults(job)) {
      const negative = await cli(name, "--batch-size", "-5");
      expect(negative.code).toBe(2);
      expect((await cli(name, "--batch-size", "ten")).err).toMatch(/positive whole number/);
    }
  });

  it.runIf(job.accepts.includes("userId"))(
    "rejects an unknown --user-id with exit code 2",
    async () => {
      const result = await cli(name, "--user-id", "ghost");
      expect(result).toMatchObject({
        code: 2,
        err: expect.stringMatching(/--user-id: user "ghost" does not exist/),
      });
    },
  );

  it.runIf(job.accepts.includes("postId"))(
    "rejects an unknown --post-id with exit code 2",
    async () => {
      const result = await cli(name, "--post-id", "ghost");
      expect(result).toMatchObject({
        code: 2,
        err: expect.stringMatching(/--post-id: post "ghost" does not exist/),
      });
    },
  );

  it.runIf(!job.accepts.includes("userId"))("does not offer --user-id", async () => {
    expect((await cli(name, "--user-id", "u1")).code).toBe(2);
  });
});
