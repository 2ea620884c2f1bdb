import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyseCaption } from "../src/content.ts";

const sentiment = (text: string) => analyseCaption(text, 2_200).sentiment;

describe("caption sentiment", () => {
  it.each([
    ["plain praise", "The food was good and the staff were lovely"],
    ["emoji only", "😍😍😍"],
    ["emoticon", "finally home :)"],
    ["negated negative", "honestly not bad at all"],
    ["slang", "lol that was awesome"],
  ])("reads %s as positive", (_, text) => {
    expect(sentiment(text)).toBeGreaterThan(0);
  });

  it.each([
    ["complaint", "Worst service ever, I hate waiting"],
    ["all caps anger", "THIS IS THE WORST DAY EVER!!! I HATE IT"],
    ["negated positive", "I am not happy about this"],
    ["sad emoticon", "so sad today :("],
  ])("reads %s as negative", (_, text) => {
    expect(sentiment(text)).toBeLessThan(0);
  });

  it("reads a neutral statement as 0", () => {
    expect(sentiment("The train leaves at nine from platform two")).toBe(0);
  });

  it("has no sentiment without words, emoji or emoticons", () => {
    expect(sentiment("... !!! ???")).toBeNull();
  });

  it("stays in [-1, 1] for any text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const value = sentiment(text);
        if (value === null) return;
        expect(value).toBeGreaterThanOrEqual(-1);
        expect(value).toBeLessThanOrEqual(1);
      }),
      { numRuns: 200 },
    );
  });
});
