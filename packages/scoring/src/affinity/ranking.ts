/** Stored weights keep 6 decimals: enough to rank, and immune to float noise of SQL sums. */
export function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/**
 * The `count` heaviest positive entries, each divided by the heaviest so the first weighs 1
 * and all lie in (0, 1]. Ties (after rounding) are broken by key, so the order is stable.
 */
export function topByWeight(
  weights: ReadonlyMap<string, number>,
  count: number,
): { key: string; weight: number }[] {
  let max = 0;
  for (const w of weights.values()) if (w > max) max = w;
  if (max === 0 || count <= 0) return [];
  const ranked: { key: string; weight: number }[] = [];
  for (const [key, w] of weights) {
    const weight = round6(w / max);
    if (weight > 0) ranked.push({ key, weight });
  }
  ranked.sort((a, b) => b.weight - a.weight || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return ranked.slice(0, count);
}
