import { describe, expect, it } from "vitest";
import { emptyTally, type PairScorer, tallyPoint } from "../../src/eval/match-scores/listed.ts";
import { pairKey } from "../../src/eval/match-scores/outcomes.ts";
import type { ScoredList } from "../../src/jobs/matchScores/batch.ts";

const T = new Date("2026-06-01T12:00:00Z").getTime();
const DAY = 86_400_000;
const point = { asOf: new Date(T), until: new Date(T + 7 * DAY) };

/** Viewer v's list of twelve, best first: c01 (score 12) … c12 (score 1). */
const candidates = Array.from({ length: 12 }, (_, i) => ({
  id: `c${String(i + 1).padStart(2, "0")}`,
  score: 12 - i,
  reasons: [],
}));
const list: ScoredList = { viewerId: "v", latitude: null, longitude: null, candidates };
/** c11 and c12 matched in the window; c01 had matched before T. */
const first = new Map([
  [pairKey("v", "c11"), T + DAY],
  [pairKey("c12", "v"), T + 2 * DAY],
  [pairKey("v", "c01"), T - DAY],
]);

function tally(scorer: PairScorer) {
  const t = emptyTally();
  const { collect, end } = tallyPoint(t, first, point, scorer);
  collect([list]);
  end();
  return t;
}

describe("tallyPoint", () => {
  it("judges the version's order after leaving out the pair matched before T", () => {
    const t = tally((_, c) => c.score);
    // c02 … c11 make the first ten: one hit.
    expect(t.precisions).toEqual([1 / 10]);
    expect(t.scores).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(t.labels.filter(Boolean)).toHaveLength(2);
    // Both users of a matched pair must have had a list to count: c11 and c12 had none.
    expect([t.positives, t.positivesListed]).toEqual([0, 0]);
  });

  it("re-ranks the same list by a baseline's score, ties by candidate id", () => {
    expect(tally((_, c) => -c.score).precisions).toEqual([2 / 10]);
    expect(tally(() => 0).precisions).toEqual([1 / 10]);
  });
});
