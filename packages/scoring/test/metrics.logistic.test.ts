import { describe, expect, it } from "vitest";
import { logisticRegression, sigmoid } from "../src/metrics.ts";

/** mulberry32: a small seeded PRNG, so the generated sample is the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draw by Box–Muller. */
function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Gradient of the penalised objective: zero at the optimum. */
function gradient(
  rows: number[][],
  labels: boolean[],
  l2: number,
  fit: ReturnType<typeof logisticRegression>,
) {
  const g = new Array(fit.coefficients.length + 1).fill(0);
  rows.forEach((row, i) => {
    const z =
      fit.intercept + row.reduce((sum, x, j) => sum + x * (fit.coefficients[j] as number), 0);
    const residual = sigmoid(z) - (labels[i] ? 1 : 0);
    g[0] += residual;
    row.forEach((x, j) => {
      g[j + 1] += residual * x;
    });
  });
  fit.coefficients.forEach((b, j) => {
    g[j + 1] += l2 * b;
  });
  return g;
}

describe("sigmoid", () => {
  it("is ½ at 0, symmetric, and finite at the extremes", () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(2) + sigmoid(-2)).toBeCloseTo(1, 15);
    expect(sigmoid(Math.log(3))).toBeCloseTo(0.75, 15);
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoid(-1000)).toBe(0);
  });
});

describe("logisticRegression", () => {
  it("fits the base rate's log-odds with no features", () => {
    // 3 of 4 positive: intercept = ln(0.75 / 0.25) = ln 3.
    const fit = logisticRegression([[], [], [], []], [true, true, true, false]);
    expect(fit.intercept).toBeCloseTo(Math.log(3), 10);
    expect(fit.coefficients).toEqual([]);
    expect(fit.converged).toBe(true);
  });

  it("recovers the group log-odds of a binary feature without a penalty", () => {
    // x = 0: 1 of 4 positive → intercept = logit(¼) = −ln 3.
    // x = 1: 3 of 4 positive → intercept + β = logit(¾) = ln 3, so β = 2 ln 3 = 2.197225.
    const rows = [[0], [0], [0], [0], [1], [1], [1], [1]];
    const labels = [true, false, false, false, true, true, true, false];
    const fit = logisticRegression(rows, labels, { l2: 0 });
    expect(fit.converged).toBe(true);
    expect(fit.intercept).toBeCloseTo(-Math.log(3), 8);
    expect(fit.coefficients[0]).toBeCloseTo(2 * Math.log(3), 8);
    // The penalty shrinks the coefficient towards 0 but keeps its sign.
    const shrunk = logisticRegression(rows, labels, { l2: 1 });
    expect(shrunk.coefficients[0]).toBeGreaterThan(0);
    expect(shrunk.coefficients[0]).toBeLessThan(2 * Math.log(3) - 0.1);
  });

  it("reaches a zero gradient of the penalised objective", () => {
    const rows = [
      [0.5, 1],
      [1.5, -1],
      [-0.3, 0.2],
      [2, 0],
      [-1, -2],
      [0.1, 0.4],
    ];
    const labels = [true, false, false, true, false, true];
    const fit = logisticRegression(rows, labels, { l2: 0.5 });
    expect(fit.converged).toBe(true);
    for (const g of gradient(rows, labels, 0.5, fit)) expect(Math.abs(g)).toBeLessThan(1e-9);
  });

  it("converges on separable data thanks to the penalty", () => {
    const rows = [[-2], [-1], [1], [2]];
    const labels = [false, false, true, true];
    const fit = logisticRegression(rows, labels);
    expect(fit.converged).toBe(true);
    expect(Number.isFinite(fit.coefficients[0])).toBe(true);
    expect(fit.coefficients[0]).toBeGreaterThan(0);
    // Without it the coefficient grows without bound: no convergence.
    expect(logisticRegression(rows, labels, { l2: 0 }).converged).toBe(false);
  });

  it("treats a sample weight of 2 as the row counted twice", () => {
    const rows = [[0.2], [1.1], [-0.7], [0.4], [1.6]];
    const labels = [false, true, false, true, true];
    const weighted = logisticRegression(rows, labels, { sampleWeights: [1, 2, 1, 2, 1] });
    const duplicated = logisticRegression([...rows, [1.1], [0.4]], [...labels, true, true]);
    expect(weighted.intercept).toBeCloseTo(duplicated.intercept, 10);
    expect(weighted.coefficients[0]).toBeCloseTo(duplicated.coefficients[0] as number, 10);
  });

  it("recovers known coefficients from a generated sample, deterministically", () => {
    const random = seededRandom(15);
    const truth = { intercept: -0.5, coefficients: [1.2, -0.8, 0] };
    const rows: number[][] = [];
    const labels: boolean[] = [];
    for (let i = 0; i < 20_000; i++) {
      const row = [normal(random), normal(random), normal(random)];
      const z =
        truth.intercept + row.reduce((sum, x, j) => sum + x * (truth.coefficients[j] as number), 0);
      rows.push(row);
      labels.push(random() < sigmoid(z));
    }
    const fit = logisticRegression(rows, labels);
    expect(fit.converged).toBe(true);
    expect(fit.iterations).toBeLessThan(15);
    expect(Math.abs(fit.intercept - truth.intercept)).toBeLessThan(0.1);
    fit.coefficients.forEach((b, j) => {
      expect(Math.abs(b - (truth.coefficients[j] as number))).toBeLessThan(0.1);
    });
    expect(logisticRegression(rows, labels)).toEqual(fit);
  });

  it("converges on large samples, where a final step's gain is below the loss's rounding", () => {
    for (const seed of [1, 2, 3]) {
      const random = seededRandom(seed);
      const rows = Array.from({ length: 20_000 }, () =>
        Array.from({ length: 8 }, () => random() - 0.5),
      );
      const labels = rows.map(
        (row) => random() < sigmoid(2 * (row[0] as number) - (row[1] as number)),
      );
      const fit = logisticRegression(rows, labels);
      expect(fit.converged).toBe(true);
      expect(fit.iterations).toBeLessThan(10);
    }
  });

  it("stops unconverged when every label agrees (the intercept has no finite optimum)", () => {
    const fit = logisticRegression([[1], [2], [3]], [true, true, true], { maxIterations: 10 });
    expect(fit.converged).toBe(false);
    expect(fit.intercept).toBeGreaterThan(5);
  });

  it("refuses inconsistent input", () => {
    expect(() => logisticRegression([], [])).toThrow(RangeError);
    expect(() => logisticRegression([[1]], [true, false])).toThrow(RangeError);
    expect(() => logisticRegression([[1], [1, 2]], [true, false])).toThrow(RangeError);
    expect(() => logisticRegression([[Number.NaN]], [true])).toThrow(RangeError);
    expect(() => logisticRegression([[1]], [true], { sampleWeights: [-1] })).toThrow(RangeError);
  });
});
