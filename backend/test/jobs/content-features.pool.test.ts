import { describe, expect, it } from "vitest";
import { chunk, forEachBounded } from "../../src/jobs/contentFeatures/pool.ts";

describe("the batch pool", () => {
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

  it("splits ids into batches of at most batchSize", () => {
    expect(chunk(["a", "b", "c", "d", "e"], 2)).toEqual([["a", "b"], ["c", "d"], ["e"]]);
    expect(chunk([], 3)).toEqual([]);
  });

  it("never has more than `concurrency` batches in flight", async () => {
    let active = 0;
    let peak = 0;
    await forEachBounded([1, 2, 3, 4, 5, 6, 7], 3, async () => {
      active += 1;
      peak = Math.max(peak, active);
      await tick();
      active -= 1;
    });
    expect(peak).toBe(3);
  });

  it("starts nothing after a failure, awaits the batches in flight, then throws", async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const run = forEachBounded([1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      await tick();
      if (n === 1) throw new Error("batch 1 failed");
      await tick();
      finished.push(n);
    });
    await expect(run).rejects.toThrow("batch 1 failed");
    expect(started).toEqual([1, 2]);
    expect(finished).toEqual([2]);
  });
});
