/** Two-sided 95 % standard-normal quantile z(0.975). */
export const Z_95 = 1.959963984540054;

/**
 * Two-sided 95 % Student-t quantiles t(0.975, df) for df = 1..30 (standard tables, 9 decimals).
 * Beyond 30 the Cornish–Fisher expansion around the normal quantile is used instead
 * (Abramowitz & Stegun 26.7.5, four terms), whose error there is below 4·10⁻⁸.
 */
const T_975 = [
  12.706204736, 4.30265273, 3.182446305, 2.776445105, 2.570581836, 2.446911851, 2.364624252,
  2.306004135, 2.262157163, 2.228138852, 2.20098516, 2.17881283, 2.160368656, 2.144786688,
  2.131449546, 2.119905299, 2.109815578, 2.10092204, 2.093024054, 2.085963447, 2.079613845,
  2.073873068, 2.06865761, 2.063898562, 2.059538553, 2.055529439, 2.051830516, 2.048407142,
  2.045229642, 2.042272456,
];

/** t(0.975, df): the multiplier of the standard error in a 95 % interval of a mean. */
export function studentT975(df: number): number {
  if (!Number.isInteger(df) || df < 1)
    throw new RangeError(`degrees of freedom must be ≥ 1, got ${df}`);
  const tabulated = T_975[df - 1];
  if (tabulated !== undefined) return tabulated;
  const z = Z_95;
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

/**
 * Mean of `values` with its Student-t 95 % interval (mean ± t(n−1)·s/√n, s the sample standard
 * deviation). mean null for no values; ci null below two values (no spread to measure). `range`:
 * the values' possible range, which the interval is clipped to (few points of a correlation can
 * give a t interval past ±1, which no mean of correlations can reach).
 */
export function meanInterval(
  values: readonly number[],
  range: readonly [number, number] = [-Infinity, Infinity],
): {
  mean: number | null;
  ci: [number, number] | null;
} {
  const n = values.length;
  if (n === 0) return { mean: null, ci: null };
  const mean = values.reduce((sum, v) => sum + v, 0) / n;
  if (n < 2) return { mean, ci: null };
  const squares = values.reduce((sum, v) => sum + (v - mean) ** 2, 0);
  const half = studentT975(n - 1) * Math.sqrt(squares / (n - 1) / n);
  return { mean, ci: [Math.max(range[0], mean - half), Math.min(range[1], mean + half)] };
}

/**
 * Wilson score 95 % interval of a proportion successes / n: unlike p ± 1.96·√(p(1−p)/n) it stays
 * inside [0, 1] and keeps a width at 0 or n successes. [0, 1] when n = 0 (nothing known).
 */
export function wilsonInterval(successes: number, n: number): [number, number] {
  if (n <= 0) return [0, 1];
  if (successes < 0 || successes > n) {
    throw new RangeError(`wilsonInterval: ${successes} successes out of ${n}`);
  }
  const p = successes / n;
  const z2 = Z_95 * Z_95;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const half = (Z_95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  // At 0 or n successes the bound is exactly 0 or 1; float rounding would leave it a hair inside.
  const low = successes === 0 ? 0 : Math.max(0, center - half);
  const high = successes === n ? 1 : Math.min(1, center + half);
  return [low, high];
}
