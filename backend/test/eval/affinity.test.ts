import type { Database } from "@feed-jobs/db";
import { testDatabaseKind } from "@feed-jobs/db/testing";
import { describe, expect, it } from "vitest";
import { affinityEvaluator } from "../../src/eval/affinity.ts";
import type { EvalPoint, Measurement } from "../../src/eval/types.ts";
import { affinityJob } from "../../src/jobs/affinity/job.ts";
import { type Fixtures, useTestDatabase } from "../support/database.ts";
import { daysBefore, insertPostFeatures } from "../support/fixtures.ts";
import { runForTest } from "../support/run.ts";

const T = new Date("2026-03-01T12:00:00Z");
const after = (days: number) => daysBefore(T, -days);
const point: EvalPoint = { asOf: T, until: after(7) };
const log = () => undefined;

let db: Database;
let f: Fixtures;

async function post(
  id: string,
  authorId: string,
  tags: string[],
  topics: string[] | null,
  at: Date,
) {
  await f.post({ id, authorId, tags, createdAt: at });
  if (topics) await insertPostFeatures(db, [{ postId: id, topics }]);
}

/** metric → value of one method's measurements. */
const table = (rows: readonly Measurement[]) =>
  Object.fromEntries(rows.map((m) => [m.metric, [m.value, m.n]]));

describe(`affinity eval on a hand-made history (${testDatabaseKind()})`, () => {
  useTestDatabase(T, "file", async (opened, fixtures) => {
    db = opened;
    f = fixtures;
    for (const id of ["amy", "bob", "zed", "cara", "dan", "eve"]) await f.user({ id });
    await post("cara-1", "cara", ["#Hiking"], ["hike", "lake"], daysBefore(T, 20));
    await post("dan-1", "dan", ["jazz"], ["jazz"], daysBefore(T, 20));
    await post("cara-2", "cara", ["hiking"], ["hike"], after(1));
    await post("dan-2", "dan", ["Jazz"], ["jazz"], after(1));
    await post("eve-1", "eve", [], ["berlin"], after(1));
    await post("eve-plain", "eve", [], null, after(1));
    await post("amy-own", "amy", [], ["selfie"], after(1));
    await f.events([
      // Before T: amy two actions (cara-1 twice as heavy), bob one.
      { actorId: "amy", type: "COMMENT", postId: "cara-1", at: daysBefore(T, 2) },
      { actorId: "amy", type: "LIKE", postId: "dan-1", at: daysBefore(T, 3) },
      { actorId: "bob", type: "LIKE", postId: "dan-1", at: daysBefore(T, 1) },
      // In (T, T + 7 d]: amy engages with eve and cara, bob with dan, zed with a post without topics.
      { actorId: "amy", type: "LIKE", postId: "eve-1", at: after(2) },
      { actorId: "amy", type: "SHARE", postId: "cara-2", at: after(2) },
      { actorId: "bob", type: "LIKE", postId: "dan-2", at: after(3) },
      { actorId: "zed", type: "LIKE", postId: "eve-plain", at: after(3) },
      // Not outcomes: a view (not an action on a post), one's own post, and after the horizon.
      { actorId: "amy", type: "SEEN", postId: "dan-2", at: after(2) },
      { actorId: "amy", type: "LIKE", postId: "amy-own", at: after(2) },
      { actorId: "bob", type: "LIKE", postId: "eve-1", at: after(8) },
    ]);
  });

  it("scores v1's profiles as of T: recall@10 by hand, no profile counts 0", async () => {
    const rows = await affinityEvaluator.evaluate(db, {
      overrides: { minInteractions: 2 },
      points: [point],
      log,
    });
    expect(new Set(rows.map((r) => r.method))).toEqual(new Set(["affinity-v1"]));
    // amy's profile: creators cara, dan; topics hike, lake, jazz. Outcomes: {eve, cara}, {berlin, hike}.
    // bob and zed have no profile (one action, none). zed's post has no topics: no topic outcome.
    expect(table(rows)).toEqual({
      "recall@10 creators": [(0.5 + 0 + 0) / 3, 3],
      "recall@10 topics": [(0.5 + 0) / 2, 2],
      coverage: [1 / 3, 3],
    });
  });

  it("scores v2 with its own threshold: bob's one like is enough at v2.minInteractions 1", async () => {
    const rows = await affinityEvaluator.evaluate(db, {
      overrides: { algorithm: "affinity-v2", v2: { minInteractions: 1 } },
      points: [point],
      log,
    });
    expect(rows.every((r) => r.method === "affinity-v2")).toBe(true);
    expect(table(rows)).toEqual({
      "recall@10 creators": [(0.5 + 1 + 0) / 3, 3],
      "recall@10 topics": [(0.5 + 1) / 2, 2],
      coverage: [2 / 3, 3],
    });
  });

  it("baseline: creators and normalised post tags by decayed count, on the same users", async () => {
    const rows = await affinityEvaluator.baselines(db, { points: [point], log });
    expect(rows.every((r) => r.method === "baseline: decayed frequency")).toBe(true);
    // amy: creators cara, dan; tags "#Hiking" → hike, jazz. bob: dan; jazz. zed: nothing before T.
    expect(table(rows)).toEqual({
      "recall@10 creators": [(0.5 + 1 + 0) / 3, 3],
      "recall@10 topics": [(0.5 + 1) / 2, 2],
      coverage: [2 / 3, 3],
    });
  });

  it("pools the points: the same point twice doubles n and keeps the means", async () => {
    const rows = await affinityEvaluator.evaluate(db, {
      overrides: { minInteractions: 2 },
      points: [point, point],
      log,
    });
    expect(table(rows)["recall@10 topics"]).toEqual([0.25, 4]);
    expect(rows.find((r) => r.metric === "recall@10 topics")?.ci?.[0]).toBeLessThan(0.25);
  });

  it("writes nothing: the profiles table and job_runs are as they were", async () => {
    await runForTest(db, affinityJob, T, { mode: "full" }, { minInteractions: 1 });
    const snapshot = async () => ({
      profiles: await db.prisma.userAffinityProfile.findMany({ orderBy: { userId: "asc" } }),
      runs: await db.prisma.jobRun.findMany({ orderBy: { startedAt: "asc" } }),
    });
    const before = await snapshot();
    expect(before.profiles.map((p) => p.userId)).toEqual(["amy", "bob"]);
    for (const algorithm of ["affinity-v1", "affinity-v2"]) {
      await affinityEvaluator.evaluate(db, { overrides: { algorithm }, points: [point], log });
    }
    await affinityEvaluator.baselines(db, { points: [point], log });
    expect(await snapshot()).toEqual(before);
  });
});
