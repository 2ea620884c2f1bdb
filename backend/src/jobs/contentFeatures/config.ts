import {
  type ContentSettings,
  DEFAULT_NSFW_WEIGHTS as NSFW,
  DEFAULT_QUALITY_PARAMS as Q,
  settingsFingerprint,
  DEFAULT_TAGS_FIRST_PARAMS as V3,
} from "@feed-jobs/scoring/content";
import { z } from "zod";
import { shardSizeOf } from "../shards.ts";

const unit = z.number().min(0).max(1);
const positive = z.number().positive();

/** A post type's text and media weights (noisy-OR: each in [0, 1]). */
const typeWeights = (d: { text: number; media: number }) =>
  z.strictObject({ text: unit.default(d.text), media: unit.default(d.media) }).prefault({});

/** The content-features job's config; every key has a default (seed "Job 3"). */
export const config = z.strictObject({
  /** Posts read, scored and written together (seed). Default 50. */
  batchSize: z.number().int().positive().default(50),
  /** Batches in flight at once (a bounded pool; the embedded database serialises them). Default 4. */
  concurrency: z.number().int().positive().max(32).default(4),
  /** Posts per shard of a full run (--all; shards run one by one, or on many workers). Default 10000. */
  shardSize: shardSizeOf(10_000),
  /**
   * Seed "includeImages": consult nsfw classifiers of kind "image". V1 registers none (no image
   * service yet), so this only matters once one is plugged in. Default true.
   */
  includeImages: z.boolean().default(true),
  /** Seed "embeddingModel": reserved for the V2 embeddings; V1 writes none and ignores it. */
  embeddingModel: z.string().min(1).default("all-MiniLM-L6-v2"),
  /** A post is nsfw when its combined evidence reaches this (seed). Default 0.8. */
  nsfwThreshold: unit.default(0.8),
  /** What a term or a report counts as in nsfw evidence. */
  nsfwWeights: z
    .strictObject({
      /** One sexually explicit term. Default 0.6 (two reach the threshold). */
      explicitTerm: unit.default(NSFW.explicitTerm),
      /** One other profane term or slur. Default 0.2. */
      profaneTerm: unit.default(NSFW.profaneTerm),
      /** Reports add evidence 1 − reportKeep^reports. Default 0.7. */
      reportKeep: unit.default(NSFW.reportKeep),
    })
    .prefault({}),
  /** Quality below this is marked low in metadata.quality.low (seed). Default 0.3. */
  qualityThreshold: unit.default(0.3),
  /** The quality formula's constants. */
  quality: z
    .strictObject({
      /** Text and media weights by post type. Default PHOTO 0.5/1, VIDEO 0.4/1, TEXT and POLL 1/0.5. */
      typeWeights: z
        .strictObject({
          PHOTO: typeWeights(Q.typeWeights.PHOTO),
          VIDEO: typeWeights(Q.typeWeights.VIDEO),
          TEXT: typeWeights(Q.typeWeights.TEXT),
          POLL: typeWeights(Q.typeWeights.POLL),
        })
        .prefault({}),
      /** Words at which the text part reaches 63%. Default 10. */
      textScaleWords: positive.default(Q.textScaleWords),
      /** Share of the remaining gap to 1 each medium item closes. Default 0.5. */
      mediaGain: unit.default(Q.mediaGain),
      /** Per report, quality is multiplied by e^(−reportDecay). Default 0.4. */
      reportDecay: z.number().nonnegative().default(Q.reportDecay),
      /** All caps: ×1 up to fromCapsShare (0.5), falling over rampWidth (0.4) to ×floor (0.6). */
      shouting: z
        .strictObject({
          fromCapsShare: unit.default(Q.shouting.fromCapsShare),
          rampWidth: positive.default(Q.shouting.rampWidth),
          floor: unit.default(Q.shouting.floor),
        })
        .prefault({}),
      /** Each link after the first multiplies quality by this. Default 0.75. */
      linkKeep: unit.default(Q.linkKeep),
      /** Each repeated-character run costs `cost` (0.1), down to ×floor (0.6). */
      repeatRuns: z
        .strictObject({
          cost: z.number().nonnegative().default(Q.repeatRuns.cost),
          floor: unit.default(Q.repeatRuns.floor),
        })
        .prefault({}),
      /** Share of repeated word trigrams free of cost (below 1). Default 0.2. */
      repetitionAllowance: z.number().min(0).lt(1).default(Q.repetitionAllowance),
    })
    .prefault({}),
  /** Topics kept per post, heaviest first. Default 10. */
  maxTopics: z.number().int().positive().default(10),
  /** Caption characters analysed (Instagram's caption limit); the hash covers all. Default 2200. */
  maxCaptionChars: z.number().int().positive().default(2_200),
  /** content-features-v3's topic ranking (`--algorithm content-features-v3`); v2 ignores it. */
  v3: z
    .strictObject({
      /** What a caption mention of a word weighs against a tag's 3; 0: no caption words. Default 1. */
      captionTopicWeight: z.number().nonnegative().default(V3.captionTopicWeight),
      /** Caption words kept after the tags, heaviest first. Default 3. */
      maxCaptionTopics: z.number().int().nonnegative().default(V3.maxCaptionTopics),
    })
    .prefault({}),
});

export type ContentFeaturesConfig = z.infer<typeof config>;

export const CONTENT_FEATURES_V2 = "content-features-v2";
export const CONTENT_FEATURES_V3 = "content-features-v3";

/** The settings a run of `version` scores with: v3 adds its topic ranking. */
export function settingsOf(c: ContentFeaturesConfig, version: string): ContentSettings {
  return {
    maxTopics: c.maxTopics,
    nsfwThreshold: c.nsfwThreshold,
    qualityThreshold: c.qualityThreshold,
    maxCaptionChars: c.maxCaptionChars,
    includeImages: c.includeImages,
    quality: c.quality,
    nsfwWeights: c.nsfwWeights,
    ...(version === CONTENT_FEATURES_V3 ? { tagsFirst: c.v3 } : {}),
  };
}

/**
 * What the settings add to each row's input hash: "" at the version's defaults (so rows hashed
 * before these keys existed stay valid), else a short digest of them. A row whose tag differs
 * from the run's is selected again: a changed setting reaches every post on the next hourly
 * run. (A row of another version is selected by its version alone.)
 */
export function settingsTag(settings: ContentSettings, version: string): string {
  const fingerprint = settingsFingerprint(settings);
  return fingerprint === defaultFingerprint(version) ? "" : fingerprint.slice(0, 16);
}

const defaultFingerprints = new Map<string, string>();

function defaultFingerprint(version: string): string {
  let fingerprint = defaultFingerprints.get(version);
  if (fingerprint === undefined) {
    fingerprint = settingsFingerprint(settingsOf(config.parse({}), version));
    defaultFingerprints.set(version, fingerprint);
  }
  return fingerprint;
}
