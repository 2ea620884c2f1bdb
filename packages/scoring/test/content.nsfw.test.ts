import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  EXPLICIT_TERM_SCORE,
  isProfane,
  judgeNsfw,
  type NsfwClassifier,
  type NsfwInput,
  PROFANE_TERM_SCORE,
  REPORT_KEEP,
  reportClassifier,
  textClassifier,
} from "../src/content.ts";

const THRESHOLD = 0.8;
const input = (caption: string, reportCount = 0, tags: string[] = []): NsfwInput => ({
  type: "TEXT",
  mediaCount: 0,
  reportCount,
  caption,
  tags,
});
const judge = (i: NsfwInput) => judgeNsfw(i, [textClassifier, reportClassifier], THRESHOLD);

describe("text classifier", () => {
  it.each([
    ["plain swearing", "this traffic is shit", ["shit"]],
    ["leetspeak", "what a sh1t show", ["shit"]],
    ["misspelling", "what the fuk", ["fuck"]],
    ["spaced-out capitals", "P0RN links in bio", ["porn"]],
  ])("finds %s", (_, caption, terms) => {
    expect(textClassifier.classify(input(caption))?.detail).toEqual({ terms });
  });

  it.each([
    ["a clean caption", "Sunday brunch with friends, the pancakes were incredible"],
    ["the Scunthorpe problem", "Weekend trip to Scunthorpe and Essex"],
    ["innocent look-alikes", "the class assignment on cocktail history"],
  ])("scores %s 0", (_, caption) => {
    expect(textClassifier.classify(input(caption))?.score).toBe(0);
  });

  it("weighs sexual terms above swearing and reads the tags too", () => {
    const swear = textClassifier.classify(input("damn this shit"))?.score ?? 0;
    const explicit = textClassifier.classify(input("", 0, ["porn"]))?.score ?? 0;
    expect(swear).toBeCloseTo(PROFANE_TERM_SCORE, 10);
    expect(explicit).toBe(EXPLICIT_TERM_SCORE);
  });

  it("reads a capitalised name and word stems innocently: the physics post is safe", () => {
    const physics =
      "Richard Feynman, known as Dick to his friends, on complex analysis, analytic continuation and a canal of charge; see J. Math. Anal. and Dick's letters";
    const evidence = textClassifier.classify(input(physics));
    expect(evidence).toMatchObject({ score: 0, detail: { terms: [], ignored: ["anal", "dick"] } });
    expect(judge(input(physics)).nsfw).toBe(false);
  });

  it.each([
    ["a surname inside a longer word", "Dickson and Emily Dickinson"],
    ["a spice and a crop", "cumin on toast, rapeseed in bloom, the Kanal in Berlin"],
    ["a degree, a bird and a novel", "magna cum laude, a blue tit, Moby Dick"],
    ["an idiom", "a bit anal-retentive about lab notes"],
  ])("scores %s 0", (_, caption) => {
    expect(textClassifier.classify(input(caption))?.score).toBe(0);
  });

  it("still counts ambiguous words written as slang, in capitals, or with sexual context", () => {
    expect(judge(input("dick pics and anal, dm me")).nsfw).toBe(true);
    expect(textClassifier.classify(input("he is a dickhead"))?.detail).toEqual({
      terms: ["dick"],
    });
    expect(textClassifier.classify(input("SEND DICK"))?.score).toBe(EXPLICIT_TERM_SCORE);
    const inContext = textClassifier.classify(input("Dick pics and porn"));
    expect(inContext?.detail).toEqual({ terms: ["dick", "porn"] });
    expect(judge(input("Dick pics and porn")).nsfw).toBe(true);
    expect(judge(input("Anal sex tonight")).nsfw).toBe(true);
  });

  it("has nothing to say without caption and tags", () => {
    expect(textClassifier.classify(input(""))).toBeNull();
  });

  it("remembers which words are profane", () => {
    expect(isProfane("fuk")).toBe(true);
    expect(isProfane("hike")).toBe(false);
  });
});

describe("judgeNsfw", () => {
  it("leaves clean, unreported posts safe", () => {
    const verdict = judge(input("Morning run along the river"));
    expect(verdict).toMatchObject({ score: 0, nsfw: false, classifiers: ["text", "reports"] });
  });

  it("flags explicit captions and keeps one mild word below the threshold", () => {
    expect(judge(input("porn and dildo pics, dm me")).nsfw).toBe(true);
    expect(judge(input("well shit")).nsfw).toBe(false);
  });

  it("combines caption and report evidence independently", () => {
    const verdict = judge(input("sex", 3));
    expect(verdict.score).toBeCloseTo(1 - (1 - EXPLICIT_TERM_SCORE) * REPORT_KEEP ** 3, 10);
    expect(verdict.nsfw).toBe(true);
    expect(verdict.evidence.map((e) => e.source)).toEqual(["text", "reports"]);
  });

  it("lets five reports alone flag a post", () => {
    expect(judge(input("", 4)).nsfw).toBe(false);
    expect(judge(input("", 5)).nsfw).toBe(true);
  });

  it("takes a plugged-in classifier's evidence like any other", () => {
    const image: NsfwClassifier = {
      name: "image-service",
      kind: "image",
      classify: (i) =>
        i.mediaCount > 0 ? { source: "image-service", score: 0.9, detail: {} } : null,
    };
    const verdict = judgeNsfw({ ...input(""), mediaCount: 1 }, [textClassifier, image], THRESHOLD);
    expect(verdict).toMatchObject({ nsfw: true, score: 0.9 });
  });

  it("stays in [0, 1] and never falls with more reports", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }),
        fc.integer({ min: 0, max: 30 }),
        (text, reports) => {
          const a = judge(input(text, reports));
          const b = judge(input(text, reports + 1));
          expect(a.score).toBeGreaterThanOrEqual(0);
          expect(a.score).toBeLessThanOrEqual(1);
          expect(b.score).toBeGreaterThanOrEqual(a.score);
        },
      ),
      { numRuns: 200 },
    );
  });
});
