/**
 * Solves A·x = b for a symmetric positive-definite A (given as full rows; only the lower
 * triangle is read) by Cholesky factorisation A = L·Lᵀ. null when A is not numerically positive
 * definite (a pivot at or below 1e-13 of its diagonal entry, or not finite): the system has no
 * stable unique solution.
 */
export function solveSymmetricPositiveDefinite(
  a: readonly Float64Array[],
  b: Float64Array,
): Float64Array | null {
  const n = b.length;
  const lower = a.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const rowA = a[i] as Float64Array;
    const rowL = lower[i] as Float64Array;
    for (let j = 0; j <= i; j++) {
      const rowJ = lower[j] as Float64Array;
      let sum = rowA[j] as number;
      for (let k = 0; k < j; k++) sum -= (rowL[k] as number) * (rowJ[k] as number);
      if (i === j) {
        if (!Number.isFinite(sum) || sum <= 1e-13 * Math.abs(rowA[i] as number)) return null;
        rowL[i] = Math.sqrt(sum);
      } else {
        rowL[j] = sum / (rowJ[j] as number);
      }
    }
  }
  // Forward substitution L·y = b, then back substitution Lᵀ·x = y.
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const rowL = lower[i] as Float64Array;
    let sum = b[i] as number;
    for (let k = 0; k < i; k++) sum -= (rowL[k] as number) * (y[k] as number);
    y[i] = sum / (rowL[i] as number);
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i] as number;
    for (let k = i + 1; k < n; k++)
      sum -= ((lower[k] as Float64Array)[i] as number) * (x[k] as number);
    x[i] = sum / ((lower[i] as Float64Array)[i] as number);
  }
  return x;
}
