import { describe, expect, it } from "vitest";
import { DEFAULT_COMPATIBILITY_PARAMS as params, trajectory } from "../src/compatibility.ts";
import { activity } from "./compatibility.support.ts";

/**
 * A timeline of interactions, as days before now, split the way the job's SQL splits it:
 * recent when younger than `recentDays` (30), earlier for the rest of the 90-day lookback.
 */
function timeline(...daysAgo: number[]) {
  const recent = daysAgo.filter((d) => d < params.recentDays).length;
  return activity({ recentInteractions: recent, earlierInteractions: daysAgo.length - recent });
}

const steadyEvery = (stepDays: number) =>
  Array.from({ length: Math.floor(90 / stepDays) }, (_, i) => i * stepDays + stepDays / 2);

describe("trajectory", () => {
  it("is 0 with no interaction, growth undefined", () => {
    expect(trajectory(timeline(), params)).toEqual({
      value: 0,
      recent: 0,
      earlier: 0,
      growth: null,
    });
  });

  it("reads a steady rhythm as growth 0.5", () => {
    const steady = trajectory(timeline(...steadyEvery(3)), params);
    expect(steady.recent).toBe(10);
    expect(steady.earlier).toBe(20);
    expect(steady.growth).toBeCloseTo(0.5);
  });

  it("reads interaction that started recently as growing", () => {
    const growing = trajectory(timeline(1, 2, 4, 6, 9, 12, 20, 25, 45), params);
    expect(growing.growth).toBeGreaterThan(0.9);
  });

  it("reads interaction that stopped as fading to 0", () => {
    const faded = trajectory(timeline(35, 40, 50, 60, 70, 80, 89), params);
    expect(faded.growth).toBe(0);
    expect(faded.value).toBe(0);
  });

  it("ranks growing above steady above fading for the same volume", () => {
    const growing = trajectory(timeline(...Array.from({ length: 12 }, (_, i) => i * 2.5)), params);
    const steady = trajectory(timeline(...steadyEvery(7.5)), params);
    const fading = trajectory(
      timeline(...Array.from({ length: 12 }, (_, i) => 31 + i * 5)),
      params,
    );
    expect(growing.value).toBeGreaterThan(steady.value);
    expect(steady.value).toBeGreaterThan(fading.value);
  });

  it("trusts one recent interaction less than many", () => {
    const one = trajectory(timeline(2), params);
    const many = trajectory(timeline(...Array.from({ length: 20 }, (_, i) => i)), params);
    expect(one.growth).toBe(1);
    expect(many.growth).toBe(1);
    expect(one.value).toBeCloseTo(1 - Math.exp(-1 / 10));
    expect(many.value).toBeGreaterThan(0.8);
  });

  it("puts an interaction exactly recentDays ago in the earlier window", () => {
    expect(trajectory(timeline(30), params)).toMatchObject({ recent: 0, earlier: 1, growth: 0 });
  });
});
