/**
 * Share of hits among the first k of a ranking: hits / min(k, length), so a list shorter than
 * k is judged on what it shows. null for an empty list.
 */
export function precisionAtK(labelsInRankOrder: readonly boolean[], k: number): number | null {
  assertCutoff(k);
  const shown = Math.min(k, labelsInRankOrder.length);
  if (shown === 0) return null;
  let hits = 0;
  for (let i = 0; i < shown; i++) if (labelsInRankOrder[i]) hits++;
  return hits / shown;
}

/**
 * Share of the `relevant` ids found among the first k of `ranked`; an id ranked twice is found
 * once. null when nothing is relevant (nothing to recall).
 */
export function recallAtK(
  ranked: readonly string[],
  relevant: ReadonlySet<string>,
  k: number,
): number | null {
  assertCutoff(k);
  if (relevant.size === 0) return null;
  const found = new Set<string>();
  for (const id of ranked.slice(0, k)) if (relevant.has(id)) found.add(id);
  return found.size / relevant.size;
}

function assertCutoff(k: number): void {
  if (!Number.isInteger(k) || k < 1)
    throw new RangeError(`cutoff k must be a positive integer, got ${k}`);
}
