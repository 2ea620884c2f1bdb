import type { Database, EngagementType } from "@feed-jobs/db";
import { testDatabaseKind } from "@feed-jobs/db/testing";
import { wilsonInterval } from "@feed-jobs/scoring/metrics";
import { describe, expect, it } from "vitest";
import { trendingEvaluator } from "../../src/eval/trending.ts";
import type { Measurement } from "../../src/eval/types.ts";
import { trendingJob } from "../../src/jobs/trending/job.ts";
import { type Fixtures, useTestDatabase } from "../support/database.ts";
import { hoursBefore } from "../support/fixtures.ts";
import { runForTest } from "../support/run.ts";
import { authorAndViewers, engageByViewers } from "../support/trending.ts";

const T = new Date("2026-03-10T12:00:00Z");
const point = { asOf: T, until: hoursBefore(T, -24) };
const log = () => undefined;

let db: Database;
let f: Fixtures;

/** `count` events of `type` on `postId` by viewer-1, viewer-2, …, `hoursAgo` before T (negative: after). */
const engage = (postId: string, type: EngagementType, count: number, hoursAgo: number) =>
  engageByViewers(f, postId, type, count, hoursBefore(T, hoursAgo));

async function post(id: string, hoursOld: number, likesBefore: number) {
  await f.post({ id, authorId: "author", createdAt: hoursBefore(T, hoursOld) });
  await engage(id, "LIKE", likesBefore, hoursOld - 1);
}

/**
 * Posts at T (likes before T → weighted engagement in (T, T + 24 h]; like 1, comment 2, share 3):
 * a 10 h old, 6 → 2 likes + 1 comment = 4   b 20 h, 5 → 1 share = 3   c 5 h, 7 → 0
 * d 30 h, 8 → 4 likes = 4                   quiet 2 h, 2 → 2 likes = 2   new-zero 1 h, 0 → 0
 * old 60 h (outside the 48 h window), 9 → 1 like = 1
 * Not counted: a post created after T, a reported post, the author's own like, a like after
 * the horizon.
 */
useTestDatabase(T, "file", async (opened, fixtures) => {
  db = opened;
  f = fixtures;
  await authorAndViewers(f);
  await post("a", 10, 6);
  await engage("a", "LIKE", 2, -3);
  await engage("a", "COMMENT", 1, -4);
  await post("b", 20, 5);
  await engage("b", "SHARE", 1, -5);
  await post("c", 5, 7);
  await f.event({ actorId: "author", type: "LIKE", postId: "c", at: hoursBefore(T, -2) });
  await f.event({ actorId: "viewer-9", type: "LIKE", postId: "c", at: hoursBefore(T, -25) });
  await post("d", 30, 8);
  await engage("d", "LIKE", 4, -6);
  await post("quiet", 2, 2);
  await engage("quiet", "LIKE", 2, -1);
  await post("new-zero", 1, 0);
  await post("old", 60, 9);
  await engage("old", "LIKE", 1, -7);
  await post("reported", 3, 5);
  await f.event({
    actorId: "viewer-10",
    type: "REPORT",
    postId: "reported",
    at: hoursBefore(T, 1),
  });
  await engage("reported", "LIKE", 3, -2);
  await f.post({ id: "after", authorId: "author", createdAt: hoursBefore(T, -1) });
  await engage("after", "LIKE", 5, -2);
});

const find = (measurements: readonly Measurement[], method: string, metric: string) => {
  const m = measurements.find((x) => x.method === method && x.metric === metric);
  if (!m) throw new Error(`no ${method} ${metric} in ${JSON.stringify(measurements)}`);
  return m;
};

describe(`trending eval (${testDatabaseKind()})`, () => {
  it("ranks v1's scores against the next 24 h with ties, and measures its coverage", async () => {
    const measured = await trendingEvaluator.evaluate(db, { overrides: {}, points: [point], log });
    const v1 = (metric: string) => find(measured, "trending-v1", metric);
    // v1 scores a, b, c, d (5+ actions). Popularity = likes · 0.5^(age / 24 h): b 2.81 < d 3.36
    // < a 4.50 < c 6.06, ranks a 3, b 1, c 4, d 2; engagement c 0 < b 3 < a = d 4, ranks a 3.5,
    // b 2, c 1, d 3.5. Centred: (.5, −1.5, 1.5, −.5) and (1, −.5, −1.5, 1): covariance −1.5,
    // variances 5 and 4.5 → −1.5 / √22.5 = −1/√10.
    expect(v1("Spearman (24 h), scored posts").value).toBeCloseTo(-1 / Math.sqrt(10), 12);
    expect(v1("Spearman (24 h), scored posts")).toMatchObject({ n: 4, ci: null });
    // Engaged after T: a, b, d, quiet, old (c's only later likes are the author's and one after
    // the horizon); v1 scored a, b, d.
    expect(v1("coverage")).toMatchObject({ value: 3 / 5, n: 5, ci: wilsonInterval(3, 5) });
    // Every window post (a, b, c, d, quiet, new-zero), unscored = 0: scores ranked
    // (5, 3, 6, 4, 1.5, 1.5), engagement (5.5, 4, 1.5, 5.5, 3, 1.5): centred covariance 3.75,
    // variances 17 and 16.5 → 3.75 / √280.5.
    expect(v1("Spearman (24 h), window posts").value).toBeCloseTo(3.75 / Math.sqrt(280.5), 12);
    expect(v1("Spearman (24 h), window posts").n).toBe(6);
    // Every action was more than v1's one-hour window ago: all velocities 0, no order.
    expect(v1("Spearman of velocity (24 h), scored posts").value).toBeNull();
  });

  it("gives v2's adaptive gate the quiet post, and a velocity for each", async () => {
    const overrides = { algorithm: "trending-v2" };
    const measured = await trendingEvaluator.evaluate(db, { overrides, points: [point], log });
    const v2 = (metric: string) => find(measured, "trending-v2", metric);
    // v2 also scores quiet (among the 100 most-acted-on). Popularity = likes · 0.5^(age / 6 h):
    // d .25 < b .50 < quiet 1.59 < a 1.89 < c 3.93, ranks a 4, b 2, c 5, d 1, quiet 3;
    // engagement ranks a 4.5, b 3, c 1, d 4.5, quiet 2. Centred: (1, −1, 2, −2, 0) and
    // (1.5, 0, −2, 1.5, −1): covariance −5.5, variances 10 and 9.5 → −5.5 / √95.
    expect(v2("Spearman (24 h), scored posts").value).toBeCloseTo(-5.5 / Math.sqrt(95), 12);
    expect(v2("coverage")).toMatchObject({ value: 4 / 5, n: 5 });
    expect(v2("Spearman of velocity (24 h), scored posts").value).not.toBeNull();
  });

  it("measures Reddit hot over every window post and on each version's posts", async () => {
    const measured = await trendingEvaluator.baselines(db, { points: [point], log });
    const hot = (metric: string) => find(measured, "baseline: Reddit hot", metric);
    // hot = log10(ups − downs) − age / 12.5 h: d 0.90 − 2.4, b 0.70 − 1.6, new-zero 0 − 0.08,
    // a 0.78 − 0.8, quiet 0.30 − 0.16, c 0.85 − 0.4: ranks a 4, b 2, c 6, d 1, quiet 5,
    // new-zero 3; engagement ranks as above (5.5, 4, 1.5, 5.5, 3, 1.5): covariance −9.5,
    // variances 17.5 and 16.5.
    expect(hot("Spearman (24 h), window posts").value).toBeCloseTo(-9.5 / Math.sqrt(288.75), 12);
    // v1's posts a, b, c, d: hot ranks (3, 2, 4, 1) → covariance −3, variances 5 and 4.5.
    expect(hot("Spearman (24 h), trending-v1's posts").value).toBeCloseTo(-3 / Math.sqrt(22.5), 12);
    // v2's posts add quiet: hot ranks (3, 2, 5, 1, 4) → covariance −8, variances 10 and 9.5.
    expect(hot("Spearman (24 h), trending-v2's posts").value).toBeCloseTo(-8 / Math.sqrt(95), 12);
    // Hot ranks every window post: all engaged posts but old (60 h) have a score.
    expect(hot("coverage")).toMatchObject({ value: 4 / 5, n: 5 });
  });

  it("writes nothing: trending_scores and job_runs are as before", async () => {
    await runForTest(db, trendingJob, hoursBefore(T, 1));
    const snapshot = async () => ({
      scores: await db.prisma.trendingScore.findMany({ orderBy: { postId: "asc" } }),
      runs: await db.prisma.jobRun.findMany({ orderBy: { startedAt: "asc" } }),
    });
    const before = await snapshot();
    expect(before.scores.length).toBeGreaterThan(0);
    for (const algorithm of ["trending-v1", "trending-v2"]) {
      await trendingEvaluator.evaluate(db, { overrides: { algorithm }, points: [point], log });
    }
    await trendingEvaluator.baselines(db, { points: [point], log });
    expect(await snapshot()).toEqual(before);
  });
});
