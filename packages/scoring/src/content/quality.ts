import type { CaptionAnalysis } from "./text.ts";

/** How much text and media count for a post type (the noisy-OR weights of the base score). */
export interface TypeWeights {
  readonly text: number;
  readonly media: number;
}

/**
 * The post types the job knows. A type missing here cannot be scored: the job counts the post
 * as failed and goes on (the database enum makes this a guard against a schema change).
 */
export const POST_TYPE_WEIGHTS: ReadonlyMap<string, TypeWeights> = new Map([
  ["PHOTO", { text: 0.5, media: 1 }],
  ["VIDEO", { text: 0.4, media: 1 }],
  ["TEXT", { text: 1, media: 0.5 }],
  ["POLL", { text: 1, media: 0.5 }],
]);

export class UnknownPostTypeError extends Error {
  constructor(readonly postType: string) {
    super(`unknown post type "${postType}"`);
    this.name = "UnknownPostTypeError";
  }
}

/** Words at which the text part reaches 63% (1 − 1/e); returns diminish after. */
export const TEXT_SCALE_WORDS = 10;
/** Each medium item closes this share of the remaining gap to 1 (1 → 0.5, 2 → 0.75, 3 → 0.875). */
export const MEDIA_GAIN = 0.5;
/** Per report, quality is multiplied by e^(−0.4): 1 → 0.67, 3 → 0.30, 5 → 0.14. */
export const REPORT_DECAY = 0.4;

/** Diminishing returns of caption length: 1 − e^(−words / 10). */
export const textPart = (words: number): number => 1 - Math.exp(-words / TEXT_SCALE_WORDS);

export const mediaPart = (mediaCount: number): number =>
  1 - (1 - MEDIA_GAIN) ** Math.max(0, mediaCount);

export const reportPenalty = (reports: number): number =>
  Math.exp(-REPORT_DECAY * Math.max(0, reports));

/** All caps: ×1 up to half the letters upper case, falling linearly to ×0.6 at 90% and above. */
export const shoutingPenalty = (capsRatio: number | null): number =>
  capsRatio === null ? 1 : 1 - 0.4 * clamp01((capsRatio - 0.5) / 0.4);

/** One link is fine; each further link multiplies by 0.75 (link spam). */
export const linkPenalty = (links: number): number => 0.75 ** Math.max(0, links - 1);

/** Each run of a repeated character ("soooo", "!!!!") costs 0.1, down to ×0.6. */
export const repeatPenalty = (runs: number): number => Math.max(0.6, 1 - 0.1 * runs);

/** Share of repeated word trigrams a caption may have before it costs anything (a refrain). */
export const REPETITION_ALLOWANCE = 0.2;

/**
 * One phrase said over and over is no more content than saying it once: quality is scaled by
 * the share of new trigrams, (1 − repetition) / (1 − allowance), capped at 1. A 200 KB caption
 * of one pasted sentence (repetition ≈ 0.98) keeps about 2.5%.
 */
export const repetitionPenalty = (repetition: number): number =>
  Math.min(1, (1 - clamp01(repetition)) / (1 - REPETITION_ALLOWANCE));

export interface QualityBreakdown {
  readonly score: number;
  /** score < qualityThreshold. */
  readonly low: boolean;
  readonly parts: { readonly text: number; readonly media: number };
  readonly weights: TypeWeights;
  /** 1 − (1 − wText·text)(1 − wMedia·media), before penalties. */
  readonly base: number;
  readonly penalties: {
    readonly reports: number;
    readonly shouting: number;
    readonly links: number;
    readonly repeats: number;
    readonly repetition: number;
  };
}

export interface QualityInput {
  readonly type: string;
  readonly mediaCount: number;
  readonly reportCount: number;
  /** null when the post has no caption. */
  readonly caption: CaptionAnalysis | null;
}

/** Quality in [0, 1]: base from text and media by post type, times every penalty. */
export function scoreQuality(input: QualityInput, qualityThreshold: number): QualityBreakdown {
  const weights = POST_TYPE_WEIGHTS.get(input.type);
  if (!weights) throw new UnknownPostTypeError(input.type);
  const parts = { text: textPart(input.caption?.words ?? 0), media: mediaPart(input.mediaCount) };
  const base = 1 - (1 - weights.text * parts.text) * (1 - weights.media * parts.media);
  const penalties = {
    reports: reportPenalty(input.reportCount),
    shouting: shoutingPenalty(input.caption?.capsRatio ?? null),
    links: linkPenalty(input.caption?.links ?? 0),
    repeats: repeatPenalty(input.caption?.repeatRuns ?? 0),
    repetition: repetitionPenalty(input.caption?.repetition ?? 0),
  };
  const score = clamp01(Object.values(penalties).reduce((product, p) => product * p, base));
  return { score, low: score < qualityThreshold, parts, weights, base, penalties };
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}
