import { describe, expect, it } from "vitest";
import { narrowByQuiz, rankCandidates, scorePair, topByScore } from "../src/match.ts";
import { config, profile } from "./match.support.ts";

const quiz = (lead: number) => [lead, ...Array(15).fill(0.75)];

describe("topByScore", () => {
  it("orders by score, breaks ties by id, keeps k", () => {
    const scored = [
      { id: "c", score: 0.5 },
      { id: "a", score: 0.5 },
      { id: "b", score: 0.9 },
      { id: "d", score: 0.1 },
    ];
    expect(topByScore(scored, 3).map((s) => s.id)).toEqual(["b", "a", "c"]);
  });
});

describe("narrowByQuiz", () => {
  const viewer = profile({ id: "v", quiz: quiz(1) });
  const at = (km: number) => ({ latitude: 37.7749 + km / 111.195, longitude: -122.4194 });

  it("keeps everyone when the pool fits", () => {
    const pool = [profile({ id: "b" }), profile({ id: "a" })];
    expect(narrowByQuiz(viewer, pool, 2).map((p) => p.id)).toEqual(["b", "a"]);
  });

  it("keeps the nearest quiz vectors first, then the nearest of the rest", () => {
    const pool = [
      profile({ id: "far-quiz", quiz: quiz(0) }),
      profile({ id: "close-quiz", quiz: quiz(1) }),
      profile({ id: "tie-quiz", quiz: quiz(1) }),
      profile({ id: "short-quiz", quiz: [1, 0.75], location: at(1) }),
      profile({ id: "no-quiz-near", location: at(2) }),
      profile({ id: "no-quiz-nowhere", location: null }),
    ];
    expect(narrowByQuiz(viewer, pool, 5).map((p) => p.id)).toEqual([
      "close-quiz",
      "tie-quiz",
      "far-quiz",
      "short-quiz",
      "no-quiz-near",
    ]);
  });

  it("orders by distance alone for a viewer without a quiz", () => {
    const noQuiz = profile({ id: "v" });
    const pool = [
      profile({ id: "b", quiz: quiz(1), location: at(30) }),
      profile({ id: "a", location: at(10) }),
      profile({ id: "c", location: null }),
    ];
    expect(narrowByQuiz(noQuiz, pool, 2).map((p) => p.id)).toEqual(["a", "b"]);
  });
});

describe("rankCandidates", () => {
  const viewer = profile({ id: "v", quiz: quiz(1), interests: ["hiking"] });
  const candidates = [
    profile({ id: "c-opposite", quiz: quiz(0) }),
    profile({ id: "b-twin", quiz: quiz(1), interests: ["hiking"] }),
    profile({ id: "a-twin", quiz: quiz(1), interests: ["hiking"] }),
  ];

  it("keeps the best k, ties by id, each with its reasons", () => {
    const ranked = rankCandidates(viewer, candidates, config, 2);
    expect(ranked.map((r) => r.id)).toEqual(["a-twin", "b-twin"]);
    expect(ranked[0]?.reasons).toContain("shared_interest:hiking");
    expect(ranked[0]?.score).toBeCloseTo(ranked[1]?.score ?? -1, 12);
  });

  it("pushes a hidden candidate down without dropping it", () => {
    const hidden = (id: string) => (id === "a-twin" ? 10 : null);
    const ranked = rankCandidates(viewer, candidates, config, 3, hidden);
    expect(ranked.map((r) => r.id)).toEqual(["b-twin", "c-opposite", "a-twin"]);
    expect(ranked[2]?.reasons.at(-1)).toBe("hidden_penalty:65");
  });

  it("keeps each candidate's factors only when asked", () => {
    expect(rankCandidates(viewer, candidates, config, 3).some((r) => "factors" in r)).toBe(false);
    const ranked = rankCandidates(viewer, candidates, config, 3, undefined, { withFactors: true });
    for (const r of ranked) {
      const candidate = candidates.find((c) => c.id === r.id) as (typeof candidates)[number];
      expect(r.factors).toEqual(scorePair(viewer, candidate, config).factors);
    }
  });
});
