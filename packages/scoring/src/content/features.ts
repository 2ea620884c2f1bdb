import { createHash } from "node:crypto";
import {
  DEFAULT_CLASSIFIERS,
  DEFAULT_NSFW_WEIGHTS,
  isProfane,
  judgeNsfw,
  type NsfwClassifier,
  type NsfwEvidence,
  type NsfwWeights,
} from "./nsfw.ts";
import {
  DEFAULT_QUALITY_PARAMS,
  type QualityBreakdown,
  type QualityParams,
  scoreQuality,
} from "./quality.ts";
import { analyseCaption, type CaptionAnalysis, cleanText } from "./text.ts";
import { extractTagsFirstTopics, extractTopics, type TagsFirstParams } from "./topics.ts";

/** A post as the job reads it: its own content plus the reports it has received by now. */
export interface PostContent {
  readonly type: string;
  readonly caption: string | null;
  readonly mediaCount: number;
  readonly tags: readonly string[];
  readonly reportCount: number;
}

export interface ContentSettings {
  readonly maxTopics: number;
  readonly nsfwThreshold: number;
  readonly qualityThreshold: number;
  /** Characters of the caption that are analysed; the hash still covers all of it. */
  readonly maxCaptionChars: number;
  /** Whether classifiers of kind "image" are consulted. */
  readonly includeImages: boolean;
  /** Default: caption and reports ({@link DEFAULT_CLASSIFIERS}). */
  readonly classifiers?: readonly NsfwClassifier[];
  /** The quality formula's constants; default {@link DEFAULT_QUALITY_PARAMS}. */
  readonly quality?: QualityParams;
  /** What a term or a report counts as in nsfw evidence; default {@link DEFAULT_NSFW_WEIGHTS}. */
  readonly nsfwWeights?: NsfwWeights;
  /** content-features-v3's topic ranking (tags above caption words); absent: v2's. */
  readonly tagsFirst?: TagsFirstParams;
}

/** One post_features row, without the run's clock and version. */
export interface ContentFeatures {
  readonly topics: readonly string[];
  readonly sentiment: number | null;
  readonly quality: number;
  readonly nsfw: boolean;
  readonly nsfwScore: number;
  /** V2 (an embedding of the caption); always null in V1. */
  readonly embeddings: readonly number[] | null;
  /** Posts with media only: what the media contributed and which image classifiers ran. */
  readonly visualFeatures: VisualFeatures | null;
  readonly metadata: FeatureMetadata;
}

export interface VisualFeatures {
  readonly mediaCount: number;
  readonly mediaPart: number;
  readonly imageClassifiers: readonly string[];
}

/** Why the scores are what they are. */
export interface FeatureMetadata {
  readonly quality: QualityBreakdown;
  readonly nsfw: {
    readonly score: number;
    readonly threshold: number;
    readonly classifiers: readonly string[];
    readonly evidence: readonly NsfwEvidence[];
  };
  readonly topics: { readonly weights: Record<string, number>; readonly droppedTags: number };
  /** null when the post has no caption. */
  readonly caption: CaptionSummary | null;
}

export type CaptionSummary = Omit<
  CaptionAnalysis,
  "text" | "keywords" | "hashtags" | "sentiment"
> & {
  readonly hashtags: number;
};

/** The classifiers a run consults: image ones only when `includeImages` is on. */
export function activeClassifiers(settings: ContentSettings): readonly NsfwClassifier[] {
  const all = settings.classifiers ?? DEFAULT_CLASSIFIERS;
  return settings.includeImages ? all : all.filter((c) => c.kind !== "image");
}

/**
 * SHA-256 of everything the features are computed from: the post's content, its report count
 * and the settings that change the output. Same hash and algorithm version → same features.
 */
export function contentInputHash(post: PostContent, settings: ContentSettings): string {
  const content = cleanPost(post);
  const fingerprint = [
    content.type,
    content.caption,
    content.mediaCount,
    content.tags,
    content.reportCount,
    settings.maxTopics,
    settings.nsfwThreshold,
    settings.qualityThreshold,
    settings.maxCaptionChars,
    activeClassifiers(settings).map((c) => c.name),
  ];
  return createHash("sha256").update(JSON.stringify(fingerprint)).digest("hex");
}

/**
 * SHA-256 of every setting that changes the output, with keys in a fixed order, so two equal
 * settings have the same fingerprint however they were built. The job compares it with its
 * defaults' to decide whether the settings must be part of the rows' input hash.
 */
export function settingsFingerprint(settings: ContentSettings): string {
  const fingerprint = {
    maxTopics: settings.maxTopics,
    nsfwThreshold: settings.nsfwThreshold,
    qualityThreshold: settings.qualityThreshold,
    maxCaptionChars: settings.maxCaptionChars,
    classifiers: activeClassifiers(settings).map((c) => c.name),
    quality: settings.quality ?? DEFAULT_QUALITY_PARAMS,
    nsfwWeights: settings.nsfwWeights ?? DEFAULT_NSFW_WEIGHTS,
    // Absent (v2) it leaves the JSON, and so v2's fingerprint, as it was.
    tagsFirst: settings.tagsFirst,
  };
  return createHash("sha256").update(JSON.stringify(fingerprint, sortedKeys)).digest("hex");
}

function sortedKeys(_key: string, value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Topics, quality, nsfw and sentiment of one post. Throws UnknownPostTypeError. */
export function computeContentFeatures(
  post: PostContent,
  settings: ContentSettings,
): ContentFeatures {
  const content = cleanPost(post);
  const caption =
    content.caption.trim().length > 0
      ? analyseCaption(content.caption, settings.maxCaptionChars)
      : null;
  const quality = scoreQuality(
    { ...content, caption },
    settings.qualityThreshold,
    settings.quality ?? DEFAULT_QUALITY_PARAMS,
  );
  const classifiers = activeClassifiers(settings);
  const verdict = judgeNsfw(
    { ...content, caption: caption?.text ?? "" },
    classifiers,
    settings.nsfwThreshold,
    settings.nsfwWeights ?? DEFAULT_NSFW_WEIGHTS,
  );
  const topics = topicsOf(content.tags, caption, settings);
  return {
    topics: topics.topics,
    sentiment: caption?.sentiment ?? null,
    quality: quality.score,
    nsfw: verdict.nsfw,
    nsfwScore: verdict.score,
    embeddings: null,
    visualFeatures:
      content.mediaCount > 0
        ? {
            mediaCount: content.mediaCount,
            mediaPart: quality.parts.media,
            imageClassifiers: classifiers.filter((c) => c.kind === "image").map((c) => c.name),
          }
        : null,
    metadata: {
      quality,
      nsfw: {
        score: verdict.score,
        threshold: verdict.threshold,
        classifiers: verdict.classifiers,
        evidence: verdict.evidence,
      },
      topics: { weights: topics.weights, droppedTags: topics.droppedTags },
      caption: caption && summarise(caption),
    },
  };
}

/** The post's topics by the settings' ranking; profane words never become topics. */
function topicsOf(
  tags: readonly string[],
  caption: CaptionAnalysis | null,
  settings: ContentSettings,
) {
  const hashtags = caption?.hashtags ?? [];
  const keywords = caption?.keywords ?? [];
  const allowTopic = (topic: string) => !isProfane(topic);
  return settings.tagsFirst === undefined
    ? extractTopics(tags, hashtags, keywords, settings.maxTopics, allowTopic)
    : extractTagsFirstTopics(
        tags,
        hashtags,
        keywords,
        settings.maxTopics,
        allowTopic,
        settings.tagsFirst,
      );
}

function cleanPost(post: PostContent) {
  return {
    type: post.type,
    caption: cleanText(post.caption ?? ""),
    mediaCount: count(post.mediaCount),
    tags: post.tags.map(cleanText),
    reportCount: count(post.reportCount),
  };
}

function count(value: number): number {
  return Number.isFinite(value) ? Math.max(0, Math.trunc(value)) : 0;
}

function summarise({
  text,
  keywords,
  hashtags,
  sentiment,
  ...counts
}: CaptionAnalysis): CaptionSummary {
  return { ...counts, hashtags: hashtags.length };
}
