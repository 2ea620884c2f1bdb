import type { CreatorAudience, CreatorSignal, NegativeSignal } from "./types.ts";

/**
 * The inverse-audience factor of TF-IDF: ln(1 + population / audience). A creator everyone
 * acts on (audience = population) gets ln 2 ≈ 0.69; one only this user acts on gets
 * ln(1 + population). An audience below 1 (exposure only, no actions) counts as 1.
 */
export function inverseAudienceFrequency(audience: number, population: number): number {
  return Math.log(1 + Math.max(1, population) / Math.max(1, audience));
}

/**
 * Engagement weight per creator the user may be recommended: never a creator the user hid,
 * blocked or reported (at any time), nor a deleted or deactivated one.
 */
export function eligibleCreators(
  creators: readonly CreatorSignal[],
  negatives: readonly NegativeSignal[],
): Map<string, number> {
  const excluded = new Set(negatives.map((n) => n.creatorId));
  const eligible = new Map<string, number>();
  for (const c of creators) {
    if (c.available && c.weight > 0 && !excluded.has(c.key)) eligible.set(c.key, c.weight);
  }
  return eligible;
}

/** TF-IDF weight per eligible creator: engagement weight × inverse audience frequency. */
export function creatorRelevance(
  eligible: ReadonlyMap<string, number>,
  audience: CreatorAudience,
): Map<string, number> {
  const relevance = new Map<string, number>();
  for (const [creatorId, weight] of eligible) {
    const idf = inverseAudienceFrequency(audience.audienceOf(creatorId), audience.population);
    relevance.set(creatorId, weight * idf);
  }
  return relevance;
}
