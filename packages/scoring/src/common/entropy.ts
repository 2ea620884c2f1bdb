/**
 * Normalised Shannon entropy (Pielou's evenness) of a distribution given as non-negative
 * weights: H / ln(k) over the k positive weights. 0 when at most one weight is positive (all
 * mass on one item), 1 when all positive weights are equal, in between otherwise. Zero and
 * negative weights are ignored; the weights need not sum to 1.
 */
export function normalizedEntropy(weights: Iterable<number>): number {
  const positive = [...weights].filter((w) => w > 0);
  if (positive.length < 2) return 0;
  const total = positive.reduce((sum, w) => sum + w, 0);
  let entropy = 0;
  for (const w of positive) {
    const p = w / total;
    if (p > 0) entropy -= p * Math.log(p); // a weight too small for a double adds nothing
  }
  // Clamp the float noise of an exactly even distribution (H computed slightly above ln k).
  return Math.min(1, Math.max(0, entropy / Math.log(positive.length)));
}
