import type { CaptionAnalysis } from "./text.ts";

/** How much text and media count for a post type (the noisy-OR weights of the base score). */
export interface TypeWeights {
  readonly text: number;
  readonly media: number;
}

/** The quality formula's constants (the defaults: {@link DEFAULT_QUALITY_PARAMS}). */
export interface QualityParams {
  /** Text and media weights by post type; a type missing here cannot be scored. */
  readonly typeWeights: Readonly<Record<string, TypeWeights>>;
  /** Words at which the text part reaches 63% (1 − 1/e); returns diminish after. */
  readonly textScaleWords: number;
  /** Each medium item closes this share of the remaining gap to 1. */
  readonly mediaGain: number;
  /** Per report, quality is multiplied by e^(−reportDecay). */
  readonly reportDecay: number;
  /** All caps: ×1 up to `fromCapsShare` upper case, falling linearly over `rampWidth` to ×`floor`. */
  readonly shouting: {
    readonly fromCapsShare: number;
    readonly rampWidth: number;
    readonly floor: number;
  };
  /** Each link after the first multiplies by this (link spam). */
  readonly linkKeep: number;
  /** Each run of a repeated character costs `cost`, down to ×`floor`. */
  readonly repeatRuns: { readonly cost: number; readonly floor: number };
  /** Share of repeated word trigrams a caption may have before it costs anything (a refrain). */
  readonly repetitionAllowance: number;
}

export const DEFAULT_QUALITY_PARAMS = {
  typeWeights: {
    PHOTO: { text: 0.5, media: 1 },
    VIDEO: { text: 0.4, media: 1 },
    TEXT: { text: 1, media: 0.5 },
    POLL: { text: 1, media: 0.5 },
  },
  // 1 − e^(−words / 10).
  textScaleWords: 10,
  // 1 → 0.5, 2 → 0.75, 3 → 0.875.
  mediaGain: 0.5,
  // 1 report → 0.67, 3 → 0.30, 5 → 0.14.
  reportDecay: 0.4,
  // ×1 up to half the letters upper case, ×0.6 at 90% and above.
  shouting: { fromCapsShare: 0.5, rampWidth: 0.4, floor: 0.6 },
  linkKeep: 0.75,
  repeatRuns: { cost: 0.1, floor: 0.6 },
  repetitionAllowance: 0.2,
} satisfies QualityParams;

/**
 * The post types the job knows by default. A type missing from the weights cannot be scored:
 * the job counts the post as failed and goes on (the database enum makes this a guard against
 * a schema change).
 */
export const POST_TYPE_WEIGHTS: ReadonlyMap<string, TypeWeights> = new Map(
  Object.entries(DEFAULT_QUALITY_PARAMS.typeWeights),
);

export class UnknownPostTypeError extends Error {
  constructor(readonly postType: string) {
    super(`unknown post type "${postType}"`);
    this.name = "UnknownPostTypeError";
  }
}

/** The parts and penalties of quality under `params`, each a function of one measurement. */
export function qualityFormulas(params: QualityParams) {
  const { shouting, repeatRuns } = params;
  return {
    /** Diminishing returns of caption length: 1 − e^(−words / textScaleWords). */
    textPart: (words: number): number => 1 - Math.exp(-words / params.textScaleWords),
    /** Each medium item closes `mediaGain` of the remaining gap to 1. */
    mediaPart: (mediaCount: number): number =>
      1 - (1 - params.mediaGain) ** Math.max(0, mediaCount),
    reportPenalty: (reports: number): number =>
      Math.exp(-params.reportDecay * Math.max(0, reports)),
    /** All caps: ×1 up to `fromCapsShare` of the letters, falling linearly to ×`floor`. */
    shoutingPenalty: (capsRatio: number | null): number =>
      capsRatio === null
        ? 1
        : 1 -
          (1 - shouting.floor) * clamp01((capsRatio - shouting.fromCapsShare) / shouting.rampWidth),
    /** One link is fine; each further link multiplies by `linkKeep` (link spam). */
    linkPenalty: (links: number): number => params.linkKeep ** Math.max(0, links - 1),
    /** Each run of a repeated character ("soooo", "!!!!") costs `cost`, down to ×`floor`. */
    repeatPenalty: (runs: number): number => Math.max(repeatRuns.floor, 1 - repeatRuns.cost * runs),
    /**
     * One phrase said over and over is no more content than saying it once: quality is scaled
     * by the share of new trigrams, (1 − repetition) / (1 − allowance), capped at 1. A 200 KB
     * caption of one pasted sentence (repetition ≈ 0.98) keeps about 2.5%.
     */
    repetitionPenalty: (repetition: number): number =>
      Math.min(1, (1 - clamp01(repetition)) / (1 - params.repetitionAllowance)),
  };
}

/** The formulas with the default constants. */
export const {
  textPart,
  mediaPart,
  reportPenalty,
  shoutingPenalty,
  linkPenalty,
  repeatPenalty,
  repetitionPenalty,
} = qualityFormulas(DEFAULT_QUALITY_PARAMS);

/** Share of repeated word trigrams a caption may have before it costs anything, by default. */
export const REPETITION_ALLOWANCE = DEFAULT_QUALITY_PARAMS.repetitionAllowance;

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
export function scoreQuality(
  input: QualityInput,
  qualityThreshold: number,
  params: QualityParams = DEFAULT_QUALITY_PARAMS,
): QualityBreakdown {
  // Own keys only: a type named like an Object.prototype member is unknown too.
  const weights = Object.hasOwn(params.typeWeights, input.type)
    ? params.typeWeights[input.type]
    : undefined;
  if (!weights) throw new UnknownPostTypeError(input.type);
  const f = qualityFormulas(params);
  const parts = {
    text: f.textPart(input.caption?.words ?? 0),
    media: f.mediaPart(input.mediaCount),
  };
  const base = 1 - (1 - weights.text * parts.text) * (1 - weights.media * parts.media);
  const penalties = {
    reports: f.reportPenalty(input.reportCount),
    shouting: f.shoutingPenalty(input.caption?.capsRatio ?? null),
    links: f.linkPenalty(input.caption?.links ?? 0),
    repeats: f.repeatPenalty(input.caption?.repeatRuns ?? 0),
    repetition: f.repetitionPenalty(input.caption?.repetition ?? 0),
  };
  const score = clamp01(Object.values(penalties).reduce((product, p) => product * p, base));
  return { score, low: score < qualityThreshold, parts, weights, base, penalties };
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}
