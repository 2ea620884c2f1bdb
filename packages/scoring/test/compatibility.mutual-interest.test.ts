import { describe, expect, it } from "vitest";
import {
  EMPTY_TOPIC_PROFILE,
  mutualInterest,
  DEFAULT_COMPATIBILITY_PARAMS as params,
  topicProfile,
} from "../src/compatibility.ts";

describe("topicProfile", () => {
  it("sums duplicates, drops empty topics and sorts by topic", () => {
    expect(
      topicProfile([
        ["travel", 2],
        ["coffee", 1],
        ["travel", 3],
        ["jazz", 0],
      ]),
    ).toEqual({ topics: ["coffee", "travel"], engagements: [1, 5] });
  });
});

describe("mutualInterest", () => {
  const hiker = topicProfile([
    ["hiking", 12],
    ["camping", 6],
    ["coffee", 2],
  ]);

  it("is 0 when either has no topic profile", () => {
    expect(mutualInterest(hiker, EMPTY_TOPIC_PROFILE, params)).toMatchObject({
      value: 0,
      similarity: 0,
      sharedTopics: [],
    });
    expect(mutualInterest(EMPTY_TOPIC_PROFILE, EMPTY_TOPIC_PROFILE, params).value).toBe(0);
  });

  it("is 0 for disjoint topics and highest for the same distribution", () => {
    const gamer = topicProfile([
      ["gaming", 20],
      ["anime", 8],
    ]);
    const otherHiker = topicProfile([
      ["hiking", 24],
      ["camping", 12],
      ["coffee", 4],
    ]);
    expect(mutualInterest(hiker, gamer, params).value).toBe(0);
    const same = mutualInterest(hiker, otherHiker, params);
    expect(same.similarity).toBeCloseTo(1);
    expect(same.sharedTopics).toEqual(["hiking", "camping", "coffee"]);
    expect(same.value).toBeCloseTo(1 - Math.exp(-20 / 10));
  });

  it("is symmetric", () => {
    const cook = topicProfile([
      ["cooking", 9],
      ["coffee", 7],
      ["camping", 1],
    ]);
    expect(mutualInterest(hiker, cook, params).value).toBe(
      mutualInterest(cook, hiker, params).value,
    );
  });

  it("trusts a thin profile less: one like on the same topic is not a perfect match", () => {
    const once = topicProfile([["hiking", 1]]);
    const often = topicProfile([["hiking", 30]]);
    const thin = mutualInterest(once, often, params);
    expect(thin.similarity).toBeCloseTo(1);
    expect(thin.value).toBeCloseTo(1 - Math.exp(-1 / 10));
  });
});
