/**
 * 1-based ranks of `values`, ties sharing the average of the ranks they span (values [10, 20,
 * 20, 5] rank [2, 3.5, 3.5, 1]). O(n log n). NaN has no place in an order: it is refused.
 */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(values[i])) throw new RangeError(`averageRanks: values[${i}] is NaN`);
    order[i] = i;
  }
  order.sort((a, b) => (values[a] as number) - (values[b] as number));
  const ranks = new Float64Array(n);
  let start = 0;
  while (start < n) {
    const value = values[order[start] as number];
    let end = start + 1;
    while (end < n && values[order[end] as number] === value) end++;
    // Positions start..end-1 hold ranks start+1..end; their average is the midpoint.
    const shared = (start + 1 + end) / 2;
    for (let p = start; p < end; p++) ranks[order[p] as number] = shared;
    start = end;
  }
  return ranks;
}

/**
 * Spearman's rank correlation: the Pearson correlation of the average ranks, so ties are
 * handled exactly (no 1 − 6Σd²/… shortcut, which assumes distinct values). null when there are
 * fewer than two pairs or either side is constant (no order to correlate).
 */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  if (x.length !== y.length) {
    throw new RangeError(`spearman: ${x.length} x values but ${y.length} y values`);
  }
  if (x.length < 2) return null;
  return pearson(averageRanks(x), averageRanks(y));
}

function pearson(x: Float64Array, y: Float64Array): number | null {
  const n = x.length;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += x[i] as number;
    meanY += y[i] as number;
  }
  meanX /= n;
  meanY /= n;
  let covariance = 0;
  let varianceX = 0;
  let varianceY = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - meanX;
    const dy = (y[i] as number) - meanY;
    covariance += dx * dy;
    varianceX += dx * dx;
    varianceY += dy * dy;
  }
  if (varianceX === 0 || varianceY === 0) return null;
  // Clamp the float noise of a perfect correlation (|r| computed a hair above 1).
  return Math.max(-1, Math.min(1, covariance / Math.sqrt(varianceX * varianceY)));
}
