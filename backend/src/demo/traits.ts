import { QUIZ_DIMENSIONS } from "./constants.ts";
import type { Rng } from "./random.ts";
import { drawTaste, TAG_CLUSTERS, type Taste } from "./tastes.ts";
import { CLUSTERS } from "./vocabulary.ts";

const ARCHETYPE_SHARES = [0.22, 0.18, 0.15, 0.13, 0.11, 0.09, 0.07, 0.05];

/** Latent personality archetypes: centroids in the quiz space. */
export function makeArchetypes(rng: Rng): number[][] {
  return ARCHETYPE_SHARES.map(() =>
    Array.from({ length: QUIZ_DIMENSIONS }, () => {
      const level = [0.15, 0.5, 0.85][rng.weighted([1, 0.6, 1])] ?? 0.5;
      return Math.min(0.97, Math.max(0.03, rng.normal(level, 0.05)));
    }),
  );
}

export interface Personality {
  /** QUIZ_DIMENSIONS answers in [0, 1], or null for the ~10% who skipped the quiz. */
  quiz: number[] | null;
  /** Interest tag indices into TAGS (empty for the ~10% who listed none). */
  interests: number[];
  /** The hidden tastes that the quiz and interests are noisy views of (see tastes.ts). */
  taste: Taste;
}

/**
 * A user is a mixture of one main archetype and maybe one or two minor ones: the quiz
 * vector is that mixture of centroids plus small noise, and the same archetypes pull the
 * user's interests towards their clusters (arts, sports, nightlife, …). The latent taste adds
 * a hidden part to the mixture that no input shows.
 */
export function personality(
  rng: Rng,
  archetypes: readonly number[][],
  gender: number,
): Personality {
  const mix: [number, number][] = [[rng.weighted(ARCHETYPE_SHARES), 1]];
  if (rng.chance(0.65)) mix.push([rng.weighted(ARCHETYPE_SHARES), rng.range(0.15, 0.45)]);
  if (rng.chance(0.25)) mix.push([rng.weighted(ARCHETYPE_SHARES), rng.range(0.05, 0.2)]);
  let quiz: number[] | null = null;
  if (rng.chance(0.9)) {
    const total = mix.reduce((s, [, w]) => s + w, 0);
    quiz = Array.from({ length: QUIZ_DIMENSIONS }, (_, d) => {
      let v = 0;
      for (const [k, w] of mix) v += (archetypes[k]?.[d] ?? 0.5) * w;
      const answer = Math.min(1, Math.max(0, v / total + rng.normal(0, 0.06)));
      return Math.round(answer * 1000) / 1000;
    });
  }
  const clusterStrength = new Array<number>(CLUSTERS.length).fill(0);
  for (const [k, w] of mix) {
    const c = k % CLUSTERS.length;
    clusterStrength[c] = (clusterStrength[c] ?? 0) + (w >= 1 ? 1 : 0.6);
  }
  if (rng.chance(0.25)) {
    const c = rng.int(0, CLUSTERS.length - 1);
    clusterStrength[c] = (clusterStrength[c] ?? 0) + 0.4;
  }
  const taste = drawTaste(rng, archetypes.length, mix, clusterStrength, gender);
  const interests = rng.chance(0.9) ? sampleInterests(rng, clusterStrength) : [];
  return { quiz, interests, taste };
}

/** Zipf-like popularity over TAGS, boosted within the user's clusters. */
function sampleInterests(rng: Rng, clusterStrength: readonly number[]): number[] {
  const weights = TAG_CLUSTERS.map((clusters, rank) => {
    let boost = 1;
    for (const c of clusters) boost += 6 * (clusterStrength[c] ?? 0);
    return boost / (rank + 1) ** 0.85;
  });
  const count = Math.min(16, Math.max(2, Math.round(rng.lognormal(6, 0.45))));
  return rng.sampleWeighted(weights, count).sort((a, b) => a - b);
}
