import type { TestDatabase } from "@feed-jobs/db/testing";
import { testDatabaseKind } from "@feed-jobs/db/testing";
import type { CompatibilityV2Factors } from "@feed-jobs/scoring/compatibility";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withDatabase } from "../../src/cli/database.ts";
import { cli, useCliDatabase } from "../support/cli.ts";
import { fixtures } from "../support/fixtures.ts";
import { addUsers, now, storedPairs, thread } from "./compatibility.support.ts";

const DAY_MINUTES = 24 * 60;
const asOf = ["--as-of", now.toISOString()];

let server: TestDatabase | undefined;
beforeAll(async () => {
  server = await useCliDatabase("compat-versions");
  await withDatabase(async (db) => {
    const f = fixtures(db, now);
    await addUsers(f, "amy", "bob", "cal", "dee");
    // amy and bob wrote one message each yesterday.
    await thread(f, "ab", [
      { from: "amy", to: "bob", minutesAgo: DAY_MINUTES + 30 },
      { from: "bob", to: "amy", minutesAgo: DAY_MINUTES },
    ]);
    // cal and dee exchanged thirty messages a month ago, and nothing since.
    const monthAgo = Array.from({ length: 30 }, (_, i) => ({
      from: i % 2 === 0 ? "cal" : "dee",
      to: i % 2 === 0 ? "dee" : "cal",
      minutesAgo: 31 * DAY_MINUTES - i * 10,
    }));
    await thread(f, "cd", monthAgo);
  });
});
afterAll(async () => {
  delete process.env.DATABASE_URL;
  await server?.close();
});

/** The stored rows and the versions of the compatibility JobRuns, newest first. */
const stored = () =>
  withDatabase(async (db) => ({
    pairs: await storedPairs(db),
    runVersions: (
      await db.prisma.jobRun.findMany({
        where: { jobName: "compatibility" },
        orderBy: { startedAt: "desc" },
      })
    ).map((r) => r.algorithmVersion),
  }));

const scoreOf = (pairs: { viewer: string; target: string; score: number }[], viewer: string) =>
  pairs.find((p) => p.viewer === viewer)?.score ?? Number.NaN;

describe(`compatibility versions side by side (${testDatabaseKind()})`, () => {
  let v1Rows: Awaited<ReturnType<typeof stored>>["pairs"];

  it("runs v1 by default: thirty month-old messages outrank two from yesterday", async () => {
    expect((await cli("compatibility", ...asOf)).code).toBe(0);
    const { pairs, runVersions } = await stored();
    expect(runVersions).toEqual(["compatibility-v1"]);
    expect(pairs.map((p) => p.algorithmVersion)).toEqual(Array(4).fill("compatibility-v1"));
    expect(scoreOf(pairs, "cal")).toBeGreaterThan(scoreOf(pairs, "amy"));
    v1Rows = pairs;
  });

  it("with --algorithm compatibility-v2 ranks the pair that talked yesterday first", async () => {
    expect((await cli("compatibility", ...asOf, "--algorithm", "compatibility-v2")).code).toBe(0);
    const { pairs, runVersions } = await stored();
    expect(runVersions[0]).toBe("compatibility-v2");
    expect(pairs.map((p) => p.algorithmVersion)).toEqual(Array(4).fill("compatibility-v2"));
    expect(scoreOf(pairs, "amy")).toBeGreaterThan(scoreOf(pairs, "cal"));
    const amy = pairs.find((p) => p.viewer === "amy")?.factors as unknown as CompatibilityV2Factors;
    // The last two-way contact is amy's message (the earlier of the two last ones).
    expect(amy.contact.daysSinceTwoWayContact).toBeCloseTo(1 + 30 / DAY_MINUTES, 4);
    const decayed = 0.5 ** ((1 + 30 / DAY_MINUTES) / 14) + 0.5 ** (1 / 14);
    expect(amy.activity.decayedMessages).toBeCloseTo(decayed, 4);
  });

  it("takes the version from config (--set algorithm=…), and v1 again gives v1's rows exactly", async () => {
    expect((await cli("compatibility", ...asOf, "--set", "algorithm=compatibility-v2")).code).toBe(
      0,
    );
    expect((await stored()).runVersions[0]).toBe("compatibility-v2");
    expect((await cli("compatibility", ...asOf)).code).toBe(0);
    const { pairs, runVersions } = await stored();
    expect(runVersions[0]).toBe("compatibility-v1");
    expect(pairs).toEqual(v1Rows);
  });

  it("wires every v2 constant: changing one changes v2's scores", async () => {
    const v2 = ["--algorithm", "compatibility-v2"];
    const scores = async (...set: string[]) => {
      expect((await cli("compatibility", ...asOf, ...v2, ...set)).code).toBe(0);
      return (await stored()).pairs.map((p) => p.score);
    };
    const defaults = await scores();
    for (const change of [
      "v2.weights.recency=0",
      "v2.weights.activity=0",
      "v2.messageHalfLifeDays=60",
      "v2.activitySaturation=50",
      "v2.contactHalfLifeDays=30",
    ]) {
      expect(await scores("--set", change), change).not.toEqual(defaults);
    }
  });

  it("scores everyone on an incremental run after a complete run of another version", async () => {
    const incremental = async (minutesLater: number) => {
      const at = new Date(now.getTime() + minutesLater * 60_000).toISOString();
      const result = await cli("compatibility", "--as-of", at, "--mode", "incremental", "--json");
      expect(result.code).toBe(0);
      return (JSON.parse(result.out) as { itemsProcessed: number }).itemsProcessed;
    };
    // The last complete run was v2 (above): nothing new happened, yet every viewer is rescored.
    expect(await incremental(30)).toBe(4);
    const { pairs, runVersions } = await stored();
    expect(runVersions[0]).toBe("compatibility-v1");
    expect(pairs.map((p) => p.algorithmVersion)).toEqual(Array(4).fill("compatibility-v1"));
    // After a complete v1 run, a v1 incremental run has nothing to do.
    expect(await incremental(60)).toBe(0);
  });
});
