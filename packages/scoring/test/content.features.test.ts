import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ContentSettings,
  computeContentFeatures,
  contentInputHash,
  type NsfwClassifier,
  POST_TYPE_WEIGHTS,
  type PostContent,
  UnknownPostTypeError,
} from "../src/content.ts";

const settings: ContentSettings = {
  maxTopics: 10,
  nsfwThreshold: 0.8,
  qualityThreshold: 0.3,
  maxCaptionChars: 2_200,
  includeImages: true,
};
const post = (over: Partial<PostContent> = {}): PostContent => ({
  type: "PHOTO",
  caption: "Went hiking at Point Reyes, the hikes there are unreal",
  mediaCount: 2,
  tags: ["#Hiking", "Outdoors"],
  reportCount: 0,
  ...over,
});
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe("computeContentFeatures", () => {
  it("computes every feature of an ordinary post and explains them", () => {
    const f = computeContentFeatures(post(), settings);
    expect(f.topics.slice(0, 2)).toEqual(["hike", "outdoors"]);
    expect(f.metadata.topics.weights.hike).toBe(3 + 2);
    expect(f.quality).toBeGreaterThan(0.7);
    expect(f.nsfw).toBe(false);
    expect(f.embeddings).toBeNull();
    expect(f.visualFeatures).toEqual({ mediaCount: 2, mediaPart: 0.75, imageClassifiers: [] });
    expect(f.metadata.caption).toMatchObject({ words: 10, truncated: false, links: 0 });
  });

  it("is deterministic", () => {
    expect(computeContentFeatures(post(), settings)).toEqual(
      computeContentFeatures(post(), settings),
    );
  });

  it("handles a post without caption: tags only, no sentiment, no caption metadata", () => {
    for (const caption of [null, "", "   \n "]) {
      const f = computeContentFeatures(post({ caption, tags: ["Coffee"] }), settings);
      expect(f).toMatchObject({ topics: ["coffee"], sentiment: null });
      expect(f.metadata.caption).toBeNull();
      expect(f.metadata.quality.parts.text).toBe(0);
    }
  });

  it("handles an emoji-only caption: no words or topics, sentiment from the emoji", () => {
    const f = computeContentFeatures(
      post({ type: "TEXT", caption: "😍🔥😍", tags: [], mediaCount: 0 }),
      settings,
    );
    expect(f.topics).toEqual([]);
    expect(f.sentiment).toBeGreaterThan(0);
    expect(f.metadata.caption).toMatchObject({ words: 0, emoji: 3 });
    expect(f.quality).toBe(0);
  });

  it("analyses only the start of a 100 KB caption, quickly", () => {
    const caption = "Trail notes from the coast. ".repeat(3_700).slice(0, 100_000);
    const started = performance.now();
    const f = computeContentFeatures(post({ caption }), settings);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(f.metadata.caption).toMatchObject({
      chars: 100_000,
      analysedChars: 2_200,
      truncated: true,
    });
    expect(f.topics).toContain("trail");
  });

  it("replaces lone surrogates and drops NUL, so every string is storable", () => {
    const f = computeContentFeatures(
      post({
        caption: "broken \uD800 text\u0000 with \uDFFF halves",
        tags: ["bad\uDBFFtag", "\u0000"],
      }),
      settings,
    );
    const json = JSON.stringify(f);
    expect(json).not.toMatch(LONE_SURROGATE);
    expect(json).not.toContain("\\u0000");
    expect(f.topics).toContain("badtag");
    expect(f.metadata.topics.droppedTags).toBe(1);
  });

  it("counts a post type it cannot map as a failure, not a guess", () => {
    expect(() => computeContentFeatures(post({ type: "STORY" }), settings)).toThrow(
      UnknownPostTypeError,
    );
  });

  it("consults image classifiers only when includeImages is on", () => {
    const image: NsfwClassifier = {
      name: "image-service",
      kind: "image",
      classify: () => ({ source: "image-service", score: 0.95, detail: {} }),
    };
    const classifiers = [image];
    const on = computeContentFeatures(post(), { ...settings, classifiers });
    const off = computeContentFeatures(post(), { ...settings, classifiers, includeImages: false });
    expect(on).toMatchObject({
      nsfw: true,
      visualFeatures: { imageClassifiers: ["image-service"] },
    });
    expect(off).toMatchObject({
      nsfw: false,
      nsfwScore: 0,
      visualFeatures: { imageClassifiers: [] },
    });
  });

  it("never throws for a known type and keeps every score in range", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...POST_TYPE_WEIGHTS.keys()),
        fc.option(
          fc.oneof(fc.string({ maxLength: 400 }), fc.string({ unit: "binary", maxLength: 400 })),
        ),
        fc.array(fc.string({ unit: "binary", maxLength: 30 }), { maxLength: 8 }),
        fc.integer({ min: -5, max: 50 }),
        fc.integer({ min: 0, max: 40 }),
        (type, caption, tags, mediaCount, reportCount) => {
          const f = computeContentFeatures(
            { type, caption, tags, mediaCount, reportCount },
            settings,
          );
          expect(f.quality).toBeGreaterThanOrEqual(0);
          expect(f.quality).toBeLessThanOrEqual(1);
          expect(f.nsfwScore).toBeGreaterThanOrEqual(0);
          expect(f.nsfwScore).toBeLessThanOrEqual(1);
          expect(f.topics.length).toBeLessThanOrEqual(settings.maxTopics);
          expect(new Set(f.topics).size).toBe(f.topics.length);
          expect(JSON.stringify(f)).not.toMatch(LONE_SURROGATE);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("contentInputHash", () => {
  const hash = (over: Partial<PostContent> = {}, s: ContentSettings = settings) =>
    contentInputHash(post(over), s);

  it("is a stable SHA-256 of the inputs", () => {
    expect(hash()).toMatch(/^[0-9a-f]{64}$/);
    expect(hash()).toBe(hash());
  });

  it.each<[string, Partial<PostContent>]>([
    ["caption", { caption: "Went hiking at Point Reyes" }],
    ["tags", { tags: ["#Hiking"] }],
    ["media count", { mediaCount: 3 }],
    ["report count", { reportCount: 1 }],
    ["type", { type: "VIDEO" }],
  ])("changes with the %s", (_, over) => {
    expect(hash(over)).not.toBe(hash());
  });

  it("changes with settings that change the output", () => {
    expect(hash({}, { ...settings, nsfwThreshold: 0.7 })).not.toBe(hash());
    expect(hash({}, { ...settings, maxTopics: 5 })).not.toBe(hash());
  });

  it("hashes a lone surrogate like the U+FFFD it is stored as", () => {
    expect(hash({ caption: "a\uD800b" })).toBe(hash({ caption: "a\uFFFDb" }));
  });
});
