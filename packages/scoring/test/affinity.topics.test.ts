import { describe, expect, it } from "vitest";
import { type NegativeSignal, netTopicWeights } from "../src/affinity.ts";

const hide = (ageDays: number, topics: string[]): NegativeSignal => ({
  kind: "HIDE",
  creatorId: "someone",
  ageDays,
  topics,
});

describe("netTopicWeights", () => {
  const engaged = [
    { key: "music", weight: 5 },
    { key: "art", weight: 4 },
  ];

  it("sums the weights of a topic seen on several posts", () => {
    const net = netTopicWeights([...engaged, { key: "music", weight: 1 }], [], 3, 0.99);
    expect(Object.fromEntries(net)).toEqual({ music: 6, art: 4 });
  });

  it("takes hideWeight off each topic of a fresh hidden post", () => {
    const net = netTopicWeights(engaged, [hide(0, ["music", "travel"])], 3, 0.99);
    expect(Object.fromEntries(net)).toEqual({ music: 2, art: 4 });
  });

  it("lets an old hide weigh less, with a long decay", () => {
    const net = netTopicWeights(engaged, [hide(69, ["music"])], 3, 0.99);
    expect(net.get("music")).toBeCloseTo(5 - 3 * 0.99 ** 69, 12);
    expect(net.get("music")).toBeGreaterThan(3.4);
  });

  it("drops a topic the hides outweigh, and ignores blocks and reports", () => {
    const net = netTopicWeights(
      engaged,
      [
        hide(0, ["art"]),
        hide(1, ["art"]),
        { kind: "BLOCK", creatorId: "x", ageDays: 0, topics: ["music"] },
        { kind: "REPORT", creatorId: "y", ageDays: 0, topics: ["music"] },
      ],
      3,
      0.99,
    );
    expect(Object.fromEntries(net)).toEqual({ music: 5 });
  });
});
