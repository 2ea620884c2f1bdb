import type { Database } from "@feed-jobs/db";
import { testDatabaseKind } from "@feed-jobs/db/testing";
import { meanInterval } from "@feed-jobs/scoring/metrics";
import { describe, expect, it } from "vitest";
import { contentFeaturesEvaluator } from "../../src/eval/content-features.ts";
import type { Measurement } from "../../src/eval/types.ts";
import { contentFeaturesJob } from "../../src/jobs/contentFeatures/job.ts";
import { type Fixtures, useTestDatabase } from "../support/database.ts";
import { daysBefore } from "../support/fixtures.ts";
import { runForTest } from "../support/run.ts";

const T = new Date("2026-03-01T12:00:00Z");
const point = { asOf: T, until: daysBefore(T, -7) };
const log = () => undefined;
const V2 = "content-features-v2";
const V3 = "content-features-v3";
const SPEARMAN = "Spearman (engagement in 7 d)";
const RECALL = "recall@10 topics";

let db: Database;
let f: Fixtures;

const like = (actorId: string, postId: string, daysAgo: number) =>
  f.event({ actorId, type: "LIKE", postId, at: daysBefore(T, daysAgo) });

/**
 * Quality. Posts of the week before T (TEXT, no media: quality grows with the caption's words),
 * likes by others in (T, T + 7 d], and the author's likes before T per earlier post:
 *   p1 ann 22 words  → 3    ann's a-old had 2                  → 2
 *   p2 ann 10 words  → 0    a-old 2 + p1 1, over 2 posts        → 1.5   (ann's own like: not counted)
 *   p3 bo   3 words  → 2    bo's first post                     → 0
 *   p4 bo   1 word   → 1    p3 had 0                            → 0
 * zp, by zed (deactivated before T), has 5 likes next but is not scored: left out.
 *
 * Topics. Tagged posts without captions (topics = tags), by cy, outside that week:
 *   u1 liked h1 {surf, beach} 2 d and h2 {jazz} 20 d before T; next f1 {surf}, f2 {opera}
 *      → ranked surf, beach, jazz: recall 1/2 in either version.
 *   u2 liked h3 {chess}; next f3: tag Chess and five fruits in its caption → v2 topics chess + 5
 *      fruits: recall 1/6; v3 chess + 3 fruits (maxCaptionTopics): 1/4.
 *   v1–v3 (nothing before T) and zed (ineligible) are left out.
 */
useTestDatabase(T, "file", async (opened, fixtures) => {
  db = opened;
  f = fixtures;
  for (const id of ["ann", "bo", "cy", "u1", "u2", "v1", "v2", "v3", "v7", "v8", "v9"]) {
    await f.user({ id });
  }
  await f.user({ id: "zed", deactivatedAt: daysBefore(T, 1) });
  const post = (
    id: string,
    authorId: string,
    daysAgo: number,
    caption: string | null,
    tags: string[] = [],
  ) => f.post({ id, authorId, caption, tags, createdAt: daysBefore(T, daysAgo) });

  await post("a-old", "ann", 20, "an older post of ann");
  await like("v7", "a-old", 19);
  await like("v8", "a-old", 19);
  await post(
    "p1",
    "ann",
    6,
    "we walked along the quiet northern ridge trail past old stone walls while early light warmed every valley below our tired feet",
  );
  await like("v9", "p1", 5);
  await post("p2", "ann", 2, "a short note about the new bakery opening on main");
  await post("p3", "bo", 5, "rainy day again");
  await post("p4", "bo", 1, "hello");
  await post("zp", "zed", 3, "a post whose author left");
  for (const v of ["v1", "v2", "v3"]) await like(v, "p1", -1);
  await like("ann", "p2", -1);
  for (const v of ["v1", "v2"]) await like(v, "p3", -2);
  await like("v1", "p4", -3);
  for (const v of ["v1", "v2", "v3", "v7", "v8"]) await like(v, "zp", -1);

  await post("h1", "cy", 10, null, ["Surf", "Beach"]);
  await post("h2", "cy", 25, null, ["Jazz"]);
  await post("h3", "cy", 12, null, ["Chess"]);
  await post("f1", "cy", -0.5, null, ["Surf"]);
  await post("f2", "cy", -0.5, null, ["Opera"]);
  await post("f3", "cy", -0.5, "Apples, bananas, cherries, grapes and melons.", ["Chess"]);
  await like("u1", "h1", 2);
  await like("u1", "h2", 20);
  await like("u1", "f1", -1);
  await like("u1", "f2", -2);
  await like("u2", "h3", 3);
  await like("u2", "f3", -1);
  await like("zed", "h1", 3);
  await like("zed", "f1", -1);
});

const find = (measurements: readonly Measurement[], method: string, metric: string) => {
  const m = measurements.find((x) => x.method === method && x.metric === metric);
  if (!m) throw new Error(`no ${method} ${metric} in ${JSON.stringify(measurements)}`);
  return m;
};

const snapshot = async () => ({
  features: await db.prisma.postFeatures.count(),
  runs: await db.prisma.jobRun.count(),
});

describe(`content-features eval (${testDatabaseKind()})`, () => {
  const measured: Measurement[] = [];

  it("measures each version without writing: quality Spearman and topic recall by hand", async () => {
    const before = await snapshot();
    for (const algorithm of [V2, V3]) {
      const request = { overrides: { algorithm }, points: [point], log };
      measured.push(...(await contentFeaturesEvaluator.evaluate(db, request)));
    }
    expect(await snapshot()).toEqual(before);
    for (const version of [V2, V3]) {
      // Quality ranks p4 < p3 < p2 < p1, engagement p2 (0) < p4 (1) < p3 (2) < p1 (3):
      // d = 0, 2, −1, −1 → 1 − 6·6 / (4·15) = 0.4. One point: no interval.
      expect(find(measured, version, SPEARMAN)).toMatchObject({ ci: null, n: 1, unit: "points" });
      expect(find(measured, version, SPEARMAN).value).toBeCloseTo(0.4, 12);
    }
    expect(find(measured, V2, RECALL).value).toBeCloseTo((1 / 2 + 1 / 6) / 2, 12);
    expect(find(measured, V3, RECALL).value).toBeCloseTo((1 / 2 + 1 / 4) / 2, 12);
    expect(find(measured, V3, RECALL).ci).toEqual(meanInterval([1 / 2, 1 / 4], [0, 1]).ci);
    expect(find(measured, V3, RECALL)).toMatchObject({ n: 2, unit: "users × points" });
  });

  it("measures the author's record on the same posts, writing nothing", async () => {
    const before = await snapshot();
    const [baseline] = await contentFeaturesEvaluator.baselines(db, { points: [point], log });
    // Ranks 4, 3, 1.5, 1.5 (ties averaged) against 4, 1, 3, 2: r = 1.5 / √(4.5 · 5) = 1/√10.
    expect(baseline).toMatchObject({
      method: "baseline: author's past engagement per post",
      metric: SPEARMAN,
      n: 1,
    });
    expect(baseline?.value).toBeCloseTo(1 / Math.sqrt(10), 12);
    expect(await snapshot()).toEqual(before);
  });

  it("uses the topics a real run writes, and counts them per post", async () => {
    for (const version of [V2, V3]) {
      await runForTest(db, contentFeaturesJob, point.until, {}, { algorithm: version });
      const rows = await db.prisma.postFeatures.findMany({ orderBy: { postId: "asc" } });
      const topics = Object.fromEntries(rows.map((r) => [r.postId, r.topics]));
      expect(topics.h1?.slice().sort()).toEqual(["beach", "surf"]);
      const fruits = ["apple", "banana", "cherry", "grape", "melon"];
      expect(topics.f3).toEqual(
        version === V2 ? ["chess", ...fruits] : ["chess", ...fruits.slice(0, 3)],
      );
      const perPost = find(measured, version, "topics per post");
      expect(perPost.n).toBe(rows.length);
      expect(perPost.value).toBeCloseTo(
        meanInterval(rows.map((r) => r.topics.length)).mean ?? -1,
        12,
      );
    }
  });
});
