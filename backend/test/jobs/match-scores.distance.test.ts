import type { Database } from "@feed-jobs/db";
import { testDatabaseKind } from "@feed-jobs/db/testing";
import { distanceKm } from "@feed-jobs/scoring/match";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matchScoresJob } from "../../src/jobs/matchScores/job.ts";
import { type Fixtures, useTestDatabase } from "../support/database.ts";
import { SAN_FRANCISCO } from "../support/fixtures.ts";
import { runForTest } from "../support/run.ts";
import { candidatesOf, hoursAfter, kmNorth, man, now, woman } from "./match-scores.helpers.ts";

let db: Database;
let f: Fixtures;

useTestDatabase(now, "test", (opened, fixtures) => {
  db = opened;
  f = fixtures;
});

const KM_PER_DEGREE = 111.195;

/** People around San Francisco (some without a location), each looking 5 to 120 km away. */
const arbPopulation = fc.array(
  fc.record({
    man: fc.boolean(),
    age: fc.integer({ min: 20, max: 45 }),
    north: fc.option(fc.double({ min: -60, max: 60, noNaN: true }), { nil: null, freq: 8 }),
    east: fc.double({ min: -60, max: 60, noNaN: true }),
    maxDistanceKm: fc.option(fc.constantFrom(5, 10, 20, 40, 80, 120), { nil: null, freq: 6 }),
    quiz: fc.option(fc.array(fc.constantFrom(0, 0.25, 0.75, 1), { minLength: 4, maxLength: 4 })),
  }),
  { minLength: 4, maxLength: 24 },
);
type Population = typeof arbPopulation extends fc.Arbitrary<infer T> ? T : never;

async function seed(people: Population) {
  await db.prisma.user.deleteMany();
  for (const [i, p] of people.entries()) {
    const cos = Math.cos((SAN_FRANCISCO.latitude * Math.PI) / 180);
    const place =
      p.north === null
        ? { latitude: null, longitude: null }
        : {
            latitude: SAN_FRANCISCO.latitude + p.north / KM_PER_DEGREE,
            longitude: SAN_FRANCISCO.longitude + p.east / (KM_PER_DEGREE * cos),
          };
    const user = { age: p.age, ...place, ...(p.quiz ? { quiz: p.quiz } : {}) };
    // No preferences row: the default distance (80 km) applies.
    const preference = p.maxDistanceKm === null ? null : { maxDistanceKm: p.maxDistanceKm };
    if (p.man) await man(f, `m${i}`, { ...user, preference });
    else await woman(f, `w${i}`, { ...user, preference });
  }
}

interface Row {
  viewer: string;
  candidate: string;
  score: number;
  reasons: unknown;
}

const allRows = () =>
  db.prisma.$queryRaw<Row[]>`
    SELECT viewer_user_id AS viewer, candidate_user_id AS candidate, score, reasons
    FROM match_scores ORDER BY viewer_user_id, candidate_user_id`;

/** Each pair's distance against both sides' max distance (80 km without preferences). */
async function pairsBeyondEitherReach(rows: readonly Row[]): Promise<string[]> {
  const users = await db.prisma.user.findMany({ include: { preference: true } });
  const byId = new Map(users.map((u) => [u.id, u]));
  const beyond: string[] = [];
  for (const { viewer, candidate } of rows) {
    const [v, c] = [byId.get(viewer), byId.get(candidate)];
    if (!v || !c) throw new Error(`unknown user in ${viewer} → ${candidate}`);
    if (v.latitude === null || c.latitude === null) continue;
    const km = distanceKm(
      { latitude: v.latitude, longitude: v.longitude ?? 0 },
      { latitude: c.latitude, longitude: c.longitude ?? 0 },
    );
    const reach = Math.min(v.preference?.maxDistanceKm ?? 80, c.preference?.maxDistanceKm ?? 80);
    if (km > reach) beyond.push(`${viewer} → ${candidate}: ${km.toFixed(1)} km > ${reach}`);
  }
  return beyond;
}

const fullRun = async (candidateSearch: string) => {
  const summary = await runForTest(db, matchScoresJob, now, { mode: "full" }, { candidateSearch });
  expect(summary.metadata.candidateSearch).toBe(candidateSearch);
  return allRows();
};

describe(`match-scores distance on ${testDatabaseKind()}`, () => {
  it("never pairs people beyond either one's max distance; memory and query agree", async () => {
    await fc.assert(
      fc.asyncProperty(arbPopulation, async (people) => {
        await seed(people);
        const exact = await fullRun("exact");
        expect(await pairsBeyondEitherReach(exact)).toEqual([]);
        expect(await fullRun("memory")).toEqual(exact);
      }),
      { numRuns: 8 },
    );
  }, 300_000);

  it("a pair is shown only within both max distances, each way", async () => {
    await woman(f, "w", { preference: { maxDistanceKm: 80 } });
    await man(f, "m-near-picky", { ...kmNorth(8), preference: { maxDistanceKm: 10 } });
    await man(f, "m-far-picky", { ...kmNorth(30), preference: { maxDistanceKm: 10 } });
    await man(f, "m-far-default", { ...kmNorth(60), preference: null });
    await man(f, "m-too-far", kmNorth(90));
    for (const candidateSearch of ["exact", "memory"]) {
      const summary = await runForTest(
        db,
        matchScoresJob,
        now,
        { mode: "full" },
        { candidateSearch },
      );
      expect((await candidatesOf(db, "w")).sort()).toEqual(["m-far-default", "m-near-picky"]);
      expect(await candidatesOf(db, "m-far-picky")).toEqual([]);
      expect(await candidatesOf(db, "m-far-default")).toEqual(["w"]);
      // 5 viewers and 5 profiles read, and 5 candidates tested: in memory, the 3 men in w's
      // latitude band and w by the 2 men whose band reaches her; by query, as many pool rows.
      expect(summary.metadata.rowsScanned).toBeGreaterThanOrEqual(15);
    }
  });

  it("incremental: a candidate who narrows their distance leaves the lists of viewers now too far", async () => {
    await woman(f, "w-near");
    await woman(f, "w-far", kmNorth(30));
    await man(f, "m", { preference: { maxDistanceKm: 80 } });
    await runForTest(db, matchScoresJob, now, { mode: "full" });
    expect(await candidatesOf(db, "w-far")).toEqual(["m"]);

    const t1 = hoursAfter(now, 1);
    await db.prisma.matchPreference.update({
      where: { userId: "m" },
      data: { maxDistanceKm: 10, updatedAt: t1 },
    });
    const summary = await runForTest(db, matchScoresJob, hoursAfter(now, 2), {
      mode: "incremental",
    });
    expect(summary.metadata.selection).toMatchObject({
      reasons: { inputs_changed: 1, candidate_changed: 2 },
    });
    expect(await candidatesOf(db, "w-far")).toEqual([]);
    expect(await candidatesOf(db, "w-near")).toEqual(["m"]);
    expect(await candidatesOf(db, "m")).toEqual(["w-near"]);
  });
});
