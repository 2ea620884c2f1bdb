import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  analyseCaption,
  linkPenalty,
  mediaPart,
  POST_TYPE_WEIGHTS,
  REPETITION_ALLOWANCE,
  repeatedTrigramShare,
  repeatPenalty,
  repetitionPenalty,
  reportPenalty,
  scoreQuality,
  shoutingPenalty,
  textPart,
  UnknownPostTypeError,
} from "../src/content.ts";

const THRESHOLD = 0.3;
const caption = (text: string) => analyseCaption(text, 2_200);
const quality = (type: string, text: string | null, mediaCount = 0, reportCount = 0) =>
  scoreQuality({ type, mediaCount, reportCount, caption: text ? caption(text) : null }, THRESHOLD);

describe("quality heuristics", () => {
  it("text length has diminishing returns", () => {
    expect(textPart(0)).toBe(0);
    expect(textPart(10)).toBeCloseTo(1 - Math.exp(-1), 10);
    expect(textPart(5) - textPart(0)).toBeGreaterThan(textPart(50) - textPart(45));
    expect(textPart(1_000)).toBeLessThanOrEqual(1);
  });

  it("each medium item closes half the remaining gap", () => {
    expect([0, 1, 2, 3].map(mediaPart)).toEqual([0, 0.5, 0.75, 0.875]);
    expect(mediaPart(-2)).toBe(0);
  });

  it("reports multiply quality down", () => {
    expect(reportPenalty(0)).toBe(1);
    expect(reportPenalty(1)).toBeCloseTo(0.67, 2);
    expect(reportPenalty(3)).toBeCloseTo(0.3, 2);
  });

  it("shouting costs up to 40%, mixed case nothing, too few letters say nothing", () => {
    expect(shoutingPenalty(null)).toBe(1);
    expect(shoutingPenalty(0.1)).toBe(1);
    expect(shoutingPenalty(0.7)).toBeCloseTo(0.8, 10);
    expect(shoutingPenalty(1)).toBeCloseTo(0.6, 10);
    expect(caption("OK NYC").capsRatio).toBeNull();
    expect(caption("THIS IS THE BEST DAY EVER").capsRatio).toBe(1);
  });

  it("one link is fine, more are link spam", () => {
    expect(linkPenalty(0)).toBe(1);
    expect(linkPenalty(1)).toBe(1);
    expect(linkPenalty(3)).toBeCloseTo(0.5625, 10);
    expect(caption("deals at https://a.example/x and www.b.example plus bit.ly/xyz").links).toBe(3);
    expect(caption("write me: me@example.com").links).toBe(1);
  });

  it("repeated characters cost 0.1 a run, at most 40%", () => {
    expect(caption("soooo good!!!!").repeatRuns).toBe(2);
    expect(caption("a normal sentence, well written.").repeatRuns).toBe(0);
    expect(repeatPenalty(2)).toBeCloseTo(0.8, 10);
    expect(repeatPenalty(10)).toBe(0.6);
  });
});

describe("repetition", () => {
  it("measures the share of word trigrams said before", () => {
    expect(repeatedTrigramShare([])).toBe(0);
    expect(repeatedTrigramShare(["one", "two"])).toBe(0);
    expect(repeatedTrigramShare("a b c a b c".split(" "))).toBe(1 / 4);
    expect(caption("The cat sat on the mat while a dog slept by the door").repetition).toBe(0);
  });

  it("costs nothing up to the allowance, then scales by the share of new trigrams", () => {
    expect(repetitionPenalty(0)).toBe(1);
    expect(repetitionPenalty(REPETITION_ALLOWANCE)).toBe(1);
    expect(repetitionPenalty(0.6)).toBeCloseTo(0.5, 10);
    expect(repetitionPenalty(1)).toBe(0);
  });

  it("scores a 200 KB caption of one repeated phrase low, and explains why", () => {
    const spam = "Follow me for the best deals on sneakers. ".repeat(5_000);
    expect(spam.length).toBeGreaterThan(200_000);
    const q = quality("TEXT", spam);
    expect(q.penalties.repetition).toBeLessThan(0.05);
    expect(q.score).toBeLessThan(0.05);
    expect(q.low).toBe(true);
    const written = quality(
      "TEXT",
      "Follow me for the best deals on sneakers: this week a restock of trail runners, next week the spring colours, and a giveaway for everyone who comments with their size.",
    );
    expect(written.penalties.repetition).toBe(1);
    expect(written.score).toBeGreaterThan(0.9);
  });

  it("does not punish a refrain", () => {
    const refrain =
      "We walked the ridge at dawn, we walked the ridge at dusk, and the valley glowed below us both times with fog rolling in from the sea";
    expect(caption(refrain).repetition).toBeLessThanOrEqual(REPETITION_ALLOWANCE);
    expect(quality("TEXT", refrain).penalties.repetition).toBe(1);
  });
});

describe("scoreQuality", () => {
  it("rates a captioned photo post well and explains every part", () => {
    const q = quality(
      "PHOTO",
      "Golden hour at Ocean Beach with the whole crew, best sunset in weeks",
      2,
    );
    expect(q.score).toBeGreaterThan(0.8);
    expect(q.low).toBe(false);
    expect(q.weights).toEqual(POST_TYPE_WEIGHTS.get("PHOTO"));
    expect(q.parts.media).toBe(0.75);
    expect(q.penalties).toEqual({
      reports: 1,
      shouting: 1,
      links: 1,
      repeats: 1,
      repetition: 1,
    });
  });

  it("marks a photo post without media and caption low", () => {
    expect(quality("PHOTO", null, 0).score).toBe(0);
    expect(quality("PHOTO", null, 0).low).toBe(true);
  });

  it("judges media by post type: media matter more on photos than on text posts", () => {
    expect(quality("PHOTO", null, 1).score).toBeCloseTo(0.5, 10);
    expect(quality("TEXT", null, 1).score).toBeCloseTo(0.25, 10);
  });

  it("marks shouting, spammy or reported posts lower than the same post without", () => {
    const text = "Had the most wonderful brunch with my friends at the little cafe downtown";
    const clean = quality("TEXT", text).score;
    expect(quality("TEXT", text.toUpperCase()).score).toBeCloseTo(clean * 0.6, 10);
    expect(quality("TEXT", `${text} http://a.example http://b.example`).score).toBeLessThan(clean);
    expect(quality("TEXT", text, 0, 2).score).toBeCloseTo(clean * reportPenalty(2), 10);
    expect(quality("TEXT", "sooooo goooood!!!!!").low).toBe(true);
  });

  it("rejects a post type it has no weights for", () => {
    expect(() => quality("STORY", "hello there")).toThrow(UnknownPostTypeError);
  });

  it("stays in [0, 1] and never rises with reports", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...POST_TYPE_WEIGHTS.keys()),
        fc.option(fc.string({ maxLength: 300 })),
        fc.integer({ min: -3, max: 30 }),
        fc.integer({ min: 0, max: 20 }),
        (type, text, mediaCount, reports) => {
          const a = quality(type, text, mediaCount, reports);
          const b = quality(type, text, mediaCount, reports + 1);
          expect(a.score).toBeGreaterThanOrEqual(0);
          expect(a.score).toBeLessThanOrEqual(1);
          expect(b.score).toBeLessThanOrEqual(a.score);
        },
      ),
      { numRuns: 200 },
    );
  });
});
