import { describe, expect, it } from "vitest";
import { chunk, forEachBounded } from "../../src/jobs/bounded.ts";

describe("forEachBounded", () => {
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

  it("reads pages lazily: never more than `concurrency` ahead of the batches in flight", async () => {
    let read = 0;
    let done = 0;
    let ahead = 0;
    async function* pages() {
      for (let page = 0; page < 6; page++) {
        read += 1;
        ahead = Math.max(ahead, read - done);
        yield page;
      }
    }
    await forEachBounded(pages(), 2, async () => {
      await tick();
      done += 1;
    });
    expect(done).toBe(6);
    expect(ahead).toBe(2);
  });
});
