import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, InvalidCursorError } from "../src/feed.ts";

describe("feed cursor", () => {
  it("round-trips version, clock, score, post id and served count exactly", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.string({ minLength: 1 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (version, at, score, postId, served) => {
          const cursor = {
            weightsVersion: version,
            rankedAt: new Date(at),
            after: { score, postId },
            served,
          };
          const token = encodeCursor(cursor);
          expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
          const back = decodeCursor(token);
          expect(back.weightsVersion).toBe(version);
          expect(back.rankedAt.getTime()).toBe(at);
          // JSON has no -0: it comes back as 0, which compares equal in the feed order.
          expect(back.after.score === score).toBe(true);
          expect(back.after.postId).toBe(postId);
          expect(back.served).toBe(served);
        },
      ),
    );
  });

  it("rejects tokens it did not make", () => {
    const made = (json: unknown) => Buffer.from(JSON.stringify(json)).toString("base64url");
    const bad = [
      "",
      "not a token!",
      Buffer.from("{oops").toString("base64url"),
      made({ v: "feed-v1", t: 1, s: 0.5, n: 1 }),
      made({ v: "", t: 1, s: 0.5, p: "x", n: 1 }),
      made({ v: "feed-v1", t: 1.5, s: 0.5, p: "x", n: 1 }),
      made({ v: "feed-v1", t: 1, s: "0.5", p: "x", n: 1 }),
      made({ v: "feed-v1", t: 1, s: 0.5, p: "x", n: 0 }),
      made({ v: "feed-v1", t: 1, s: 0.5, p: "x" }),
      made([1, 2, 3]),
    ];
    for (const token of bad) expect(() => decodeCursor(token)).toThrow(InvalidCursorError);
  });
});
