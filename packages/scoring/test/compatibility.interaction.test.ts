import { describe, expect, it } from "vitest";
import {
  interactionHistory,
  DEFAULT_COMPATIBILITY_PARAMS as params,
  weightedActions,
} from "../src/compatibility.ts";
import { activity } from "./compatibility.support.ts";

const actions = (
  a: Partial<{ likes: number; comments: number; shares: number; profileViews: number }>,
) => ({
  likes: 0,
  comments: 0,
  shares: 0,
  profileViews: 0,
  ...a,
});

describe("interactionHistory", () => {
  it("is 0 when the two never acted on or saw each other", () => {
    expect(interactionHistory(activity(), params).value).toBe(0);
  });

  it("weighs a comment above a like above a profile view", () => {
    const w = params.actionWeights;
    expect(weightedActions(actions({ comments: 1 }), w)).toBeGreaterThan(
      weightedActions(actions({ likes: 1 }), w),
    );
    expect(weightedActions(actions({ likes: 1 }), w)).toBeGreaterThan(
      weightedActions(actions({ profileViews: 1 }), w),
    );
  });

  it("counts actions both ways alike", () => {
    const given = interactionHistory(activity({ actionsGiven: actions({ likes: 4 }) }), params);
    const received = interactionHistory(
      activity({ actionsReceived: actions({ likes: 4 }) }),
      params,
    );
    const both = interactionHistory(
      activity({ actionsGiven: actions({ likes: 2 }), actionsReceived: actions({ likes: 2 }) }),
      params,
    );
    expect(given.value).toBeGreaterThan(0);
    expect(received.value).toBe(given.value);
    expect(both.value).toBe(given.value);
  });

  it("keeps exposure apart: endless impressions fill at most exposureShare and never match a few likes", () => {
    const scrolled = interactionHistory(
      activity({
        exposureGiven: { impressions: 100_000, seen: 50_000 },
        exposureReceived: { impressions: 100_000, seen: 50_000 },
      }),
      params,
    );
    const liked = interactionHistory(activity({ actionsGiven: actions({ likes: 3 }) }), params);
    expect(scrolled.actionScore).toBe(0);
    expect(scrolled.value).toBeCloseTo(params.exposureShare);
    expect(liked.value).toBeGreaterThan(scrolled.value);
  });

  it("counts a seen above an impression", () => {
    const seen = interactionHistory(
      activity({ exposureGiven: { impressions: 0, seen: 5 } }),
      params,
    );
    const shown = interactionHistory(
      activity({ exposureGiven: { impressions: 5, seen: 0 } }),
      params,
    );
    expect(seen.exposureScore).toBeGreaterThan(shown.exposureScore);
  });
});
