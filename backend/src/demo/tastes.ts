import { MAN, WOMAN } from "./constants.ts";
import type { Rng } from "./random.ts";
import { CLUSTERS, TAGS } from "./vocabulary.ts";

/**
 * The latent-taste model of the demo population. Every user has hidden tastes drawn from the
 * seed; the observable inputs the jobs score (quiz answers, interests, age preferences) are
 * noisy, partial views of them, and the outcomes (who is into whom, who talks, what gets
 * liked) are drawn from the tastes, never from the inputs. So a job's score predicts outcomes
 * only as far as the inputs reveal the tastes — moderately, as on real data — and `eval` and
 * `tune` have signal to measure on a fresh machine.
 */
export const TASTE_MODEL = {
  /** Sd of the hidden per-dimension part of a taste vector (the quiz never shows it). */
  hiddenSd: 0.25,
  /** Attraction falls as exp(sharpness · (cos − 1)) with the cosine of two taste vectors. */
  sharpness: 2.2,
  /** Sd of the hidden part of topic tastes (interests are drawn from the visible part). */
  topicHiddenSd: 0.35,
  /** Preferred partner age minus own age: men a little younger, women a little older. */
  idealAgeOffset: { man: -2.5, woman: 2.5, other: 0 },
  /** Sd of a user's own deviation from that offset, years. */
  idealAgeSd: 2,
  /** Width (sd) of age tolerance around the ideal, years, widening after 35. */
  ageToleranceYears: 4.5,
  /** Chance that a conversation picks up again after a pause, at best taste match. */
  conversationContinue: 0.8,
  /** Mean pause between two sessions of one conversation, days… */
  sessionGapDays: 3,
  /** …except for this share of pauses, which last longPauseDays on average (people come back). */
  longPauseShare: 0.15,
  longPauseDays: 30,
} as const;

/** One user's hidden tastes. */
export interface Taste {
  /** Unit vector over the archetypes: the visible mixture plus a hidden part. */
  vector: number[];
  /** Topic taste per CLUSTERS entry (≥ 0): what the user engages with. */
  topics: number[];
  /** Preferred partner age minus own age, years. */
  idealAgeOffset: number;
}

/** `mix` is the visible archetype mixture [archetype, weight]; `clusters` its cluster strengths. */
export function drawTaste(
  rng: Rng,
  archetypes: number,
  mix: readonly [number, number][],
  clusters: readonly number[],
  gender: number,
): Taste {
  const vector = Array.from({ length: archetypes }, () => rng.normal(0, TASTE_MODEL.hiddenSd));
  for (const [k, w] of mix) vector[k] = (vector[k] ?? 0) + w;
  const norm = Math.hypot(...vector) || 1;
  const topics = clusters.map((c) => Math.max(0, c + rng.normal(0, TASTE_MODEL.topicHiddenSd)));
  const offsets = TASTE_MODEL.idealAgeOffset;
  const offset = gender === MAN ? offsets.man : gender === WOMAN ? offsets.woman : offsets.other;
  return {
    vector: vector.map((x) => x / norm),
    topics,
    idealAgeOffset: offset + rng.normal(0, TASTE_MODEL.idealAgeSd),
  };
}

/** Cosine of two users' taste vectors, in [−1, 1]. */
export function tasteSimilarity(a: Taste, b: Taste): number {
  let dot = 0;
  for (let i = 0; i < a.vector.length; i++) dot += (a.vector[i] ?? 0) * (b.vector[i] ?? 0);
  return dot;
}

/** How much taste attraction alone gives (0–1]: 1 for identical tastes. */
export function tasteAttraction(a: Taste, b: Taste): number {
  return Math.exp(TASTE_MODEL.sharpness * (tasteSimilarity(a, b) - 1));
}

/** Age tolerance sd for someone of `age`: wider for older users. */
export const ageTolerance = (age: number) =>
  TASTE_MODEL.ageToleranceYears * (1 + Math.max(0, age - 35) / 40);

/** How well `otherAge` fits what someone of `age` with taste `t` looks for (0–1]. */
export function ageFit(t: Taste, age: number, otherAge: number): number {
  const z = (otherAge - age - t.idealAgeOffset) / ageTolerance(age);
  return Math.exp(-0.5 * z * z);
}

/** For each tag (by TAGS index), the clusters it belongs to. */
export const TAG_CLUSTERS = TAGS.map((tag) =>
  CLUSTERS.flatMap((cluster, c) => (cluster.includes(tag) ? [c] : [])),
);

/** How much a user's topic taste favours `tag` (0–1); 0.3 for a post without a topic. */
export function topicMatch(t: Taste, tag: number): number {
  if (tag < 0) return 0.3;
  let s = 0;
  for (const c of TAG_CLUSTERS[tag] ?? []) s += t.topics[c] ?? 0;
  return Math.min(1, s);
}
