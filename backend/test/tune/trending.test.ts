import type { Database } from "@feed-jobs/db";
import { testDatabaseKind } from "@feed-jobs/db/testing";
import { describe, expect, it } from "vitest";
import type { EvalPoint } from "../../src/eval/types.ts";
import { trendingTuner } from "../../src/tune/trending.ts";
import { type Fixtures, useTestDatabase } from "../support/database.ts";
import { hoursBefore } from "../support/fixtures.ts";

const HOUR_MS = 3_600_000;
const first = new Date("2026-03-10T12:00:00Z");
/** Three points 72 h apart: each point's window and next day hold only its own cohort of posts. */
const points: EvalPoint[] = [0, 72, 144].map((h) => ({
  asOf: hoursBefore(first, -h),
  until: hoursBefore(first, -h - 24),
}));
const ACTORS = 20;
const log = () => undefined;

let db: Database;
let f: Fixtures;

useTestDatabase(hoursBefore(first, -168), "test", async (opened, fixtures) => {
  db = opened;
  f = fixtures;
  await f.user({ id: "author" });
  for (let i = 0; i < ACTORS; i++) await f.user({ id: `u${i}` });
});

/**
 * A cohort of 30 posts before `point`, whose next-day likes are known: a post `age` hours old
 * with `n` likes gets round(3 · n · 0.5^(age / halfLife)) likes in the next 24 h, so the
 * popularity n · 0.5^(age / h) ranks the next day exactly at h = halfLife (up to rounding), and
 * worse at any other half-life. Ages (2–46 h) and like counts (5–20) vary independently.
 */
async function cohort(point: EvalPoint, tag: string, halfLife: number) {
  const events: {
    actorId: string;
    type: "LIKE";
    postId: string;
    targetUserId: string;
    occurredAt: Date;
  }[] = [];
  const spread = (postId: string, count: number, from: Date, hours: number) => {
    for (let k = 0; k < count; k++) {
      const at = new Date(from.getTime() + ((k + 1) / (count + 1)) * hours * HOUR_MS);
      events.push({
        actorId: `u${k % ACTORS}`,
        type: "LIKE",
        postId,
        targetUserId: "author",
        occurredAt: at,
      });
    }
  };
  for (let i = 0; i < 30; i++) {
    const age = 2 + ((i * 37) % 45);
    const likes = 5 + ((i * 7) % 16);
    const postId = `${tag}-${i}`;
    const createdAt = hoursBefore(point.asOf, age);
    await f.post({ id: postId, authorId: "author", createdAt });
    spread(postId, likes, createdAt, age);
    spread(postId, Math.round(3 * likes * 0.5 ** (age / halfLife)), point.asOf, 24);
  }
  await db.prisma.engagementEvent.createMany({ data: events });
}

async function history(halfLife: number) {
  for (const [i, point] of points.entries()) await cohort(point, `p${i}`, halfLife);
}

const [train, test] = [points.slice(0, 2), points.slice(2)];

describe(`trending tune (${testDatabaseKind()})`, () => {
  it("finds v1's half-life where the next day decays with 12 h, from 24 h", async () => {
    await history(12);
    const result = await trendingTuner.tune(db, { train, test, overrides: {}, log });
    expect(result.settings).toEqual({
      halfLifeHours: 12,
      minEngagements: 5,
      velocityWindow: expect.any(Number),
    });
    expect(result.before).toMatchObject({
      method: "trending-v1",
      metric: "Spearman (24 h), window posts",
      n: 30,
    });
    expect(result.after.value).toBeGreaterThan(0.99);
    expect(result.after.value).toBeGreaterThan((result.before.value as number) + 0.05);
    expect(result.trainAfter.value).toBeGreaterThan(result.trainBefore.value as number);
    expect(result.notes.join("\n")).toContain("halfLifeHours 24 → 12");
  });

  it("finds v2's half-life where the next day decays with 24 h, from 6 h, as nested settings", async () => {
    await history(24);
    const overrides = { algorithm: "trending-v2" };
    const result = await trendingTuner.tune(db, { train, test, overrides, log });
    expect(result.settings).toEqual({
      v2: { halfLifeHours: 24, minCandidates: 100, velocityHalfLifeHours: expect.any(Number) },
    });
    expect(result.after.value).toBeGreaterThan(0.99);
    expect(result.after.value).toBeGreaterThan((result.before.value as number) + 0.05);
  });
});
