import type { Database } from "@feed-jobs/db";
import { createTestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { measureFeedLatency, percentile } from "../src/index.ts";
import { scene } from "./support.ts";

describe("percentile", () => {
  it("is the nearest-rank value, 0 for no values", () => {
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(values, 0.5)).toBe(5);
    expect(percentile(values, 0.99)).toBe(10);
    expect(percentile(values, 0.1)).toBe(1);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBe(0);
  });
});

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

describe(`measureFeedLatency (${testDatabaseKind()})`, () => {
  it("times one first page per viewer after the warm-up", async () => {
    const s = scene(db);
    const viewers = [await s.user("a"), await s.user("b"), await s.user("c"), await s.user("d")];
    await s.post("post", { author: viewers[0] ?? "" });
    // The i-th measured request takes i + 1 ms on this clock.
    const readings = viewers.flatMap((_, i) => [100 * i, 100 * i + i + 1]);
    const clock = () => readings.shift() ?? Number.NaN;
    const latency = await measureFeedLatency(db, viewers, s.now, { warmup: 2, clock });
    expect(latency).toEqual({ viewers: 4, p50Ms: 2, p99Ms: 4, meanMs: 2.5 });
    expect(readings).toEqual([]);
  });
});
