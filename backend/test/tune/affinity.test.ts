import type { Database } from "@feed-jobs/db";
import { testDatabaseKind } from "@feed-jobs/db/testing";
import { describe, expect, it } from "vitest";
import type { EvalPoint } from "../../src/eval/types.ts";
import { affinityTuner } from "../../src/tune/affinity.ts";
import { useTestDatabase } from "../support/database.ts";
import { daysBefore, insertPostFeatures } from "../support/fixtures.ts";

const T = new Date("2026-03-01T12:00:00Z");
const point: EvalPoint = { asOf: T, until: daysBefore(T, -7) };
const STALE = Array.from({ length: 10 }, (_, i) => `stale${i}`);
const FRESH = ["fresh0", "fresh1", "fresh2"];

/**
 * One user who liked a post with ten old topics `staleLikes` times 45 days before T, and a
 * post with three new topics `freshLikes` times `freshDaysAgo` before T; after T they like a
 * post with the new topics. Only settings that let the new topics into the top ten recall them.
 */
function history(staleLikes: number, freshLikes: number, freshDaysAgo: number) {
  let db: Database | undefined;
  useTestDatabase(T, "file", async (opened, f) => {
    db = opened;
    for (const id of ["reader", "old-author", "new-author"]) await f.user({ id });
    const posts = [
      { id: "stale", authorId: "old-author", topics: STALE, at: daysBefore(T, 60) },
      { id: "fresh", authorId: "new-author", topics: FRESH, at: daysBefore(T, 40) },
      { id: "next", authorId: "new-author", topics: FRESH, at: daysBefore(T, -1) },
    ];
    for (const p of posts) {
      await f.post({ id: p.id, authorId: p.authorId, tags: p.topics, createdAt: p.at });
      await insertPostFeatures(db, [{ postId: p.id, topics: p.topics }]);
    }
    const likes = (postId: string, count: number, at: Date) =>
      Array.from({ length: count }, () => ({
        actorId: "reader",
        targetUserId: postId === "stale" ? "old-author" : "new-author",
        postId,
        type: "LIKE" as const,
        occurredAt: at,
      }));
    await opened.prisma.engagementEvent.createMany({
      data: [
        ...likes("stale", staleLikes, daysBefore(T, 45)),
        ...likes("fresh", freshLikes, daysBefore(T, freshDaysAgo)),
        ...likes("next", 1, daysBefore(T, -2)),
      ],
    });
  });
  return (overrides: Record<string, unknown> = {}) =>
    affinityTuner.tune(db as Database, { train: [point], test: [point], overrides, log: () => {} });
}

describe(`affinity tune (${testDatabaseKind()})`, () => {
  describe("old interests that a faster decay forgets", () => {
    // 0.95/day: ten stale likes (0.99 each topic) outweigh one fresh like (0.60); 0.9/day: 0.09 < 0.35.
    const tune = history(10, 1, 10);

    it("picks decay 0.9, keeps the lookback and threshold (ties), and recalls the new topics", async () => {
      const result = await tune();
      expect(result.settings).toEqual({
        recencyDecayFactor: 0.9,
        lookbackDays: 90,
        minInteractions: 10,
      });
      expect([result.trainBefore.value, result.trainAfter.value]).toEqual([0, 1]);
      expect([result.before.value, result.after.value]).toEqual([0, 1]);
      expect(result.before.method).toBe("affinity-v1");
      expect(result.after.method).toBe("affinity-v1 (tuned)");
    });

    it("tunes v2's own threshold key when tuning affinity-v2", async () => {
      const result = await tune({ algorithm: "affinity-v2" });
      expect(result.settings).toEqual({
        recencyDecayFactor: 0.9,
        lookbackDays: 90,
        v2: { minInteractions: 3 },
      });
    });
  });

  describe("old interests so heavy that only a shorter lookback drops them", () => {
    // A hundred stale likes outweigh ten fresh ones 25 days old at every decay searched.
    const tune = history(100, 10, 25);

    it("keeps the decay and picks a 30-day lookback", async () => {
      const result = await tune();
      expect(result.settings).toEqual({
        recencyDecayFactor: 0.95,
        lookbackDays: 30,
        minInteractions: 10,
      });
      expect([result.before.value, result.after.value]).toEqual([0, 1]);
    });
  });
});
