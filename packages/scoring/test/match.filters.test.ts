import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { acceptEachOther } from "../src/match.ts";
import { arbProfile, profile } from "./match.support.ts";

describe("acceptEachOther", () => {
  it("requires each age inside the other's range", () => {
    const a = profile({ age: 30, minAge: 25, maxAge: 35 });
    expect(acceptEachOther(a, profile({ age: 35, minAge: 28, maxAge: 40 }))).toBe(true);
    expect(acceptEachOther(a, profile({ age: 36 }))).toBe(false);
    expect(acceptEachOther(a, profile({ age: 32, minAge: 31 }))).toBe(false);
  });

  it("refuses an attribute either side rules out", () => {
    const a = profile({ dealbreakers: ["smokes"], attributes: ["dog"] });
    expect(acceptEachOther(a, profile({ attributes: ["smokes"] }))).toBe(false);
    expect(acceptEachOther(a, profile({ dealbreakers: ["dog"] }))).toBe(false);
    expect(acceptEachOther(a, profile({ attributes: ["vegan"], dealbreakers: ["kids"] }))).toBe(
      true,
    );
  });

  it("is symmetric", () => {
    fc.assert(
      fc.property(arbProfile, arbProfile, (a, b) => {
        expect(acceptEachOther(a, b)).toBe(acceptEachOther(b, a));
      }),
    );
  });
});
