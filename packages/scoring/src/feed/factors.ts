import type { PostTypeName, ViewerAffinity } from "./types.ts";

const clamp01 = (value: number) => (Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0);

/**
 * Seed "Freshness & Penalties": 1 / ln(2 + hoursSinceCreation) — 1.44 for a new post, 0.91
 * after an hour, 0.31 after a day, 0.19 after a week. A post dated after now counts as new.
 */
export function freshnessBoost(hoursSinceCreation: number): number {
  return 1 / Math.log(2 + Math.max(0, hoursSinceCreation));
}

/** Seed "Freshness & Penalties": seenPenalty = seen ? 1 : 0 (no seen counts tracked yet). */
export function seenPenalty(seen: boolean): number {
  return seen ? 1 : 0;
}

/** The author's weight among the viewer's top creators; 0 when absent or without a profile. */
export function creatorAffinity(affinity: ViewerAffinity | null, authorId: string): number {
  return clamp01(affinity?.creators.get(authorId) ?? 0);
}

/**
 * Noisy-OR of the viewer's weights of the post's topics: 1 − Π(1 − w). One loved topic gives
 * its weight, each further matching topic adds to it, never beyond 1; no match gives 0.
 */
export function topicAffinity(affinity: ViewerAffinity | null, topics: readonly string[]): number {
  if (!affinity) return 0;
  let miss = 1;
  for (const topic of new Set(topics)) miss *= 1 - clamp01(affinity.topics.get(topic) ?? 0);
  return 1 - miss;
}

const POST_TYPES: readonly PostTypeName[] = ["PHOTO", "TEXT", "POLL", "VIDEO"];

/** The post type's share relative to the viewer's favourite type (1); 0 without a profile. */
export function typeAffinity(affinity: ViewerAffinity | null, type: PostTypeName): number {
  if (!affinity) return 0;
  const favourite = Math.max(...POST_TYPES.map((key) => clamp01(affinity.contentTypes[key])));
  return favourite > 0 ? clamp01(affinity.contentTypes[type]) / favourite : 0;
}

/**
 * Half popularity saturation p / (p + popularityHalf), half the trending job's verdict
 * (isTrending: velocity above twice the mean). 0 without an unexpired TrendingScore.
 */
export function trendingFactor(
  popularity: number | null,
  isTrending: boolean,
  popularityHalf: number,
): number {
  if (popularity === null) return 0;
  const p = Math.max(0, popularity);
  return (p / (p + popularityHalf) + (isTrending ? 1 : 0)) / 2;
}

/** A precomputed score (quality, compatibility, match) clamped into [0, 1]; missing is 0. */
export function unitScore(value: number | null): number {
  return value === null ? 0 : clamp01(value);
}
