import { describe, expect, it } from "vitest";
import { parseAffinity } from "../src/index.ts";

describe("parseAffinity", () => {
  it("reads the affinity job's JSON shapes", () => {
    const affinity = parseAffinity(
      [
        { userId: "u1", weight: 1 },
        { userId: "u2", weight: 0.4 },
      ],
      [{ tag: "hiking", weight: 0.7 }],
      { photos: 0.5, text: 0.3, polls: 0.2, videos: 0 },
    );
    expect([...affinity.creators]).toEqual([
      ["u1", 1],
      ["u2", 0.4],
    ]);
    expect([...affinity.topics]).toEqual([["hiking", 0.7]]);
    expect(affinity.contentTypes).toEqual({ PHOTO: 0.5, TEXT: 0.3, POLL: 0.2, VIDEO: 0 });
  });

  it("skips malformed entries and counts a missing share as 0 instead of failing", () => {
    const affinity = parseAffinity(
      [
        { userId: "ok", weight: 0.5 },
        { userId: 7, weight: 1 },
        { userId: "nan", weight: "x" },
        null,
      ],
      { tag: "not-an-array", weight: 1 },
      { photos: "lots", text: 1 },
    );
    expect([...affinity.creators]).toEqual([["ok", 0.5]]);
    expect(affinity.topics.size).toBe(0);
    expect(affinity.contentTypes).toEqual({ PHOTO: 0, TEXT: 1, POLL: 0, VIDEO: 0 });
  });
});
