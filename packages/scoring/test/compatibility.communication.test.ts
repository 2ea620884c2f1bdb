import { describe, expect, it } from "vitest";
import {
  communication,
  messageBalance,
  DEFAULT_COMPATIBILITY_PARAMS as params,
  responsiveness,
} from "../src/compatibility.ts";
import { activity, daysAgo, NOW, replies } from "./compatibility.support.ts";

describe("messageBalance", () => {
  it("is 1 for an even thread, low for a one-sided one and 0 for none", () => {
    expect(messageBalance(5, 5)).toBe(1);
    expect(messageBalance(9, 3)).toBeCloseTo(1 / 3);
    expect(messageBalance(3, 9)).toBeCloseTo(1 / 3);
    expect(messageBalance(7, 0)).toBe(0);
    expect(messageBalance(0, 0)).toBe(0);
  });
});

describe("responsiveness (reply latency)", () => {
  it("is 0 when nobody ever replied: latency is undefined", () => {
    expect(responsiveness(replies(), 6)).toEqual({ value: 0, consistency: null });
  });

  it("halves the speed at every half-life of median latency", () => {
    const instant = responsiveness(replies(0, 0, 0), 6);
    const sixHours = responsiveness(replies(360, 360, 360), 6);
    const twelveHours = responsiveness(replies(720, 720, 720), 6);
    expect(instant.value).toBe(1);
    expect(sixHours.value).toBeCloseTo(0.5);
    expect(twelveHours.value).toBeCloseTo(0.25);
  });

  it("prefers consistent replies to erratic ones with the same median", () => {
    const steady = responsiveness(replies(30, 30, 30, 30, 30), 6);
    const erratic = responsiveness(replies(1, 2, 30, 600, 900), 6);
    expect(steady.consistency).toBe(1);
    expect(erratic.consistency).toBeLessThan(0.01);
    expect(erratic.value).toBeLessThan(steady.value);
    expect(erratic.value).toBeGreaterThan(steady.value / 2 - 1e-9);
  });

  it("treats a single reply as consistent", () => {
    expect(responsiveness(replies(45), 6).consistency).toBe(1);
  });
});

describe("communication", () => {
  it("is 0 without messages", () => {
    const factor = communication(activity(), NOW, params);
    expect(factor).toMatchObject({ value: 0, volume: 0, balance: 0, recency: 0 });
    expect(factor.daysSinceLastMessage).toBeNull();
    expect(factor.medianReplyMinutes).toBeNull();
  });

  it("scores a single message low: no balance, no reply, only its recency", () => {
    const single = communication(
      activity({ messagesSent: 1, lastMessageAt: daysAgo(0) }),
      NOW,
      params,
    );
    expect(single.balance).toBe(0);
    expect(single.responsiveness).toBe(0);
    expect(single.value).toBeCloseTo((1 - Math.exp(-1 / 20)) * 0.3);
  });

  it("ranks a balanced, quick, recent thread above a one-sided one of the same volume", () => {
    const base = { lastMessageAt: daysAgo(1) };
    const balanced = communication(
      activity({ ...base, messagesSent: 10, messagesReceived: 10, replies: replies(5, 10, 15) }),
      NOW,
      params,
    );
    const oneSided = communication(
      activity({ ...base, messagesSent: 19, messagesReceived: 1, replies: replies(5) }),
      NOW,
      params,
    );
    expect(balanced.volume).toBe(oneSided.volume);
    expect(balanced.value).toBeGreaterThan(oneSided.value);
    expect(oneSided.balance).toBeCloseTo(1 / 19);
  });

  it("fades with the age of the last message", () => {
    const thread = { messagesSent: 4, messagesReceived: 4, replies: replies(10, 20) };
    const fresh = communication(activity({ ...thread, lastMessageAt: daysAgo(0) }), NOW, params);
    const old = communication(activity({ ...thread, lastMessageAt: daysAgo(14) }), NOW, params);
    expect(fresh.recency).toBe(1);
    expect(old.recency).toBeCloseTo(0.5);
    expect(old.daysSinceLastMessage).toBeCloseTo(14);
    expect(old.value).toBeLessThan(fresh.value);
  });

  it("grows with volume, with diminishing returns", () => {
    const at = (n: number) =>
      communication(
        activity({ messagesSent: n, messagesReceived: n, lastMessageAt: NOW, replies: replies(5) }),
        NOW,
        params,
      ).value;
    expect(at(2)).toBeLessThan(at(10));
    expect(at(10)).toBeLessThan(at(50));
    expect(at(10) - at(2)).toBeGreaterThan(at(50) - at(42));
  });
});
