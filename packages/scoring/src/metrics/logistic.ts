import { solveSymmetricPositiveDefinite } from "./cholesky.ts";

export interface LogisticRegressionOptions {
  /** Ridge penalty λ/2·‖coefficients‖² (the intercept is not penalised). Default 1. */
  l2?: number;
  /** Newton steps at most. Default 50. */
  maxIterations?: number;
  /** Converged when no parameter moves by more than this in a full Newton step. Default 1e-8. */
  tolerance?: number;
  /** Non-negative weight of each row (a weight of 2 counts the row twice). Default all 1. */
  sampleWeights?: readonly number[];
}

export interface LogisticModel {
  intercept: number;
  coefficients: number[];
  /** Newton steps taken. */
  iterations: number;
  converged: boolean;
}

/** The logistic function 1 / (1 + e^−x), computed without overflow for any x. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** ln(1 + e^x) without overflow or loss of precision at either end. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/**
 * Penalised maximum-likelihood logistic regression P(label) = sigmoid(intercept + Σ βⱼ·xⱼ),
 * fitted by Newton's method (IRLS) with step halving. It minimises
 *   Σᵢ wᵢ·(ln(1 + e^zᵢ) − yᵢ·zᵢ) + l2/2 · Σⱼ βⱼ²,
 * which for l2 > 0 is strictly convex in the coefficients, so separable data still has a finite
 * optimum. The penalty acts on the coefficients' scale: standardise features of unlike scales.
 * The intercept has no finite optimum when all (weighted) labels agree; the fit then stops
 * unconverged. Deterministic: a fixed start (base-rate intercept, zero coefficients), no
 * randomness.
 */
export function logisticRegression(
  rows: readonly (readonly number[])[],
  labels: readonly boolean[],
  options: LogisticRegressionOptions = {},
): LogisticModel {
  const { l2 = 1, maxIterations = 50, tolerance = 1e-8 } = options;
  const weights = options.sampleWeights ?? rows.map(() => 1);
  const features = checkInputs(rows, labels, weights, l2);
  const problem: Problem = { rows, labels, weights, l2 };
  const beta = new Float64Array(features + 1);
  beta[0] = baseRateLogit(labels, weights);
  let loss = objective(problem, beta);
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const { gradient, hessian } = newtonSystem(problem, beta);
    const step = solveSymmetricPositiveDefinite(hessian, gradient);
    if (step === null) return model(beta, iteration - 1, false);
    if (maxAbs(step) <= tolerance) {
      subtract(beta, step, 1);
      return model(beta, iteration, true);
    }
    const accepted = halveUntilDecrease(problem, beta, step, loss);
    if (accepted === null) return model(beta, iteration - 1, false);
    beta.set(accepted.beta);
    loss = accepted.loss;
  }
  return model(beta, maxIterations, false);
}

interface Problem {
  rows: readonly (readonly number[])[];
  labels: readonly boolean[];
  weights: readonly number[];
  l2: number;
}

function checkInputs(
  rows: readonly (readonly number[])[],
  labels: readonly boolean[],
  weights: readonly number[],
  l2: number,
): number {
  if (rows.length === 0) throw new RangeError("logisticRegression: no rows");
  if (labels.length !== rows.length || weights.length !== rows.length) {
    throw new RangeError(
      `logisticRegression: ${rows.length} rows, ${labels.length} labels, ${weights.length} weights`,
    );
  }
  if (!(l2 >= 0)) throw new RangeError(`logisticRegression: l2 must be ≥ 0, got ${l2}`);
  const features = (rows[0] as readonly number[]).length;
  rows.forEach((row, i) => {
    if (row.length !== features) {
      throw new RangeError(
        `logisticRegression: row ${i} has ${row.length} features, not ${features}`,
      );
    }
    if (!row.every(Number.isFinite))
      throw new RangeError(`logisticRegression: row ${i} is not finite`);
    const weight = weights[i] as number;
    if (!(weight >= 0 && Number.isFinite(weight))) {
      throw new RangeError(`logisticRegression: sample weight ${i} is ${weight}`);
    }
  });
  return features;
}

/** The intercept-only optimum ln(p / (1 − p)), p the weighted share of positive labels. */
function baseRateLogit(labels: readonly boolean[], weights: readonly number[]): number {
  let positive = 0;
  let total = 0;
  labels.forEach((label, i) => {
    total += weights[i] as number;
    if (label) positive += weights[i] as number;
  });
  // Keep the start finite when one class is absent (or all weights are 0).
  const share = Math.min(1 - 1e-6, Math.max(1e-6, total > 0 ? positive / total : 0.5));
  return Math.log(share / (1 - share));
}

function linearPredictor(beta: Float64Array, row: readonly number[]): number {
  let z = beta[0] as number;
  for (let j = 0; j < row.length; j++) z += (beta[j + 1] as number) * (row[j] as number);
  return z;
}

function objective(problem: Problem, beta: Float64Array): number {
  let loss = 0;
  problem.rows.forEach((row, i) => {
    const z = linearPredictor(beta, row);
    loss += (problem.weights[i] as number) * (softplus(z) - (problem.labels[i] ? z : 0));
  });
  for (let j = 1; j < beta.length; j++) loss += (problem.l2 / 2) * (beta[j] as number) ** 2;
  return loss;
}

/** Gradient and Hessian of the objective at beta (index 0 is the intercept). */
function newtonSystem(problem: Problem, beta: Float64Array) {
  const size = beta.length;
  const gradient = new Float64Array(size);
  const hessian = Array.from({ length: size }, () => new Float64Array(size));
  const x = new Float64Array(size);
  x[0] = 1;
  problem.rows.forEach((row, i) => {
    x.set(row, 1);
    const z = linearPredictor(beta, row);
    const weight = problem.weights[i] as number;
    // σ(z) − 1 = −σ(−z) and σ(z)(1 − σ(z)) = σ(z)σ(−z), exact even where σ(z) rounds to 1.
    const residual = weight * (problem.labels[i] ? -sigmoid(-z) : sigmoid(z));
    const curvature = weight * sigmoid(z) * sigmoid(-z);
    for (let a = 0; a < size; a++) {
      const xa = x[a] as number;
      gradient[a] = (gradient[a] as number) + residual * xa;
      const hessianRow = hessian[a] as Float64Array;
      for (let b = 0; b <= a; b++)
        hessianRow[b] = (hessianRow[b] as number) + curvature * xa * (x[b] as number);
    }
  });
  for (let j = 1; j < size; j++) {
    gradient[j] = (gradient[j] as number) + problem.l2 * (beta[j] as number);
    const hessianRow = hessian[j] as Float64Array;
    hessianRow[j] = (hessianRow[j] as number) + problem.l2;
  }
  return { gradient, hessian };
}

/** Relative rounding error of the summed loss that a step may add (sums of ~10⁶ terms). */
const LOSS_NOISE = 1e-12;

/**
 * Newton step with halving: the full step, else half, a quarter … until the objective does
 * not increase. The objective is convex, so a short enough step along the Newton direction
 * decreases it. Near the optimum the decrease of a full step is smaller than the rounding of a
 * sum over many rows, so a change within LOSS_NOISE of the loss counts as no increase. null
 * when no step qualifies.
 */
function halveUntilDecrease(
  problem: Problem,
  beta: Float64Array,
  step: Float64Array,
  loss: number,
): { beta: Float64Array; loss: number } | null {
  for (let scale = 1; scale >= 2 ** -30; scale /= 2) {
    const candidate = Float64Array.from(beta);
    subtract(candidate, step, scale);
    const candidateLoss = objective(problem, candidate);
    if (candidateLoss <= loss + LOSS_NOISE * Math.abs(loss)) {
      return { beta: candidate, loss: candidateLoss };
    }
  }
  return null;
}

function subtract(beta: Float64Array, step: Float64Array, scale: number): void {
  for (let j = 0; j < beta.length; j++) beta[j] = (beta[j] as number) - scale * (step[j] as number);
}

function maxAbs(values: Float64Array): number {
  return values.reduce((max, v) => Math.max(max, Math.abs(v)), 0);
}

function model(beta: Float64Array, iterations: number, converged: boolean): LogisticModel {
  return {
    intercept: beta[0] as number,
    coefficients: Array.from(beta.subarray(1)),
    iterations,
    converged,
  };
}
