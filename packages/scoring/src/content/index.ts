/**
 * Content features of a post (seed "Job 3: Content Feature Extraction"), pure: no I/O.
 *
 * Glossary
 * - topic: a normalised tag, caption hashtag or caption keyword ({@link topicKey}); the
 *   vocabulary trending and affinity aggregate on, so one word always maps to one topic.
 * - evidence: one nsfw classifier's score in [0, 1]; evidence combines as 1 − Π(1 − score).
 * - input hash: SHA-256 of what a row was computed from; same hash and version → not recomputed.
 *
 * Algorithm
 * - topics: tags and caption hashtags weigh 3, each caption mention of a keyword (a noun,
 *   proper noun or -ing verb that is not a stop word, tagged by wink-nlp) weighs 1; the
 *   heaviest `maxTopics` are kept, ties by name; profane words never become topics.
 *   content-features-v3 (`tagsFirst`): tags and hashtags rank above every caption word, and at
 *   most `maxCaptionTopics` caption words follow them ({@link extractTagsFirstTopics}).
 * - quality = [1 − (1 − wText·text)(1 − wMedia·media)] · reports · shouting · links · repeats
 *   · repetition, text = 1 − e^(−words/10), media = 1 − 0.5^count, weights by post type,
 *   repetition = the share of new word trigrams (one phrase pasted over and over scores near
 *   0); every constant is a parameter ({@link DEFAULT_QUALITY_PARAMS}); see quality.ts.
 * - nsfw: profanity in caption and tags (obscenity) and reports, plus image classifiers when plugged in and
 *   `includeImages`; nsfw when the combined score ≥ nsfwThreshold. Terms with an innocent
 *   reading ("Dick" the name, "Anal." the abbreviation, "cum laude", "blue tit") count only as
 *   whole words, and capitalised only next to an unambiguous sexual term; see nsfw.ts.
 * - sentiment: wink-nlp's lexicon score (negation, emoji and emoticons aware) in [−1, 1].
 *
 * Missing and bad inputs
 * - no caption (null, "" or whitespace): no keywords, text part 0, sentiment null, no caption evidence.
 * - only emoji: 0 words (text part 0, no keywords); sentiment from the emoji; four or more of the
 *   same emoji in a row count as a repeated-character run.
 * - very long caption (100 KB): the hash covers all of it; analysis reads its first
 *   `maxCaptionChars` (never splitting a surrogate pair); metadata.caption.truncated says so.
 * - lone UTF-16 surrogates ("\uD800", invalid UTF-8): replaced by U+FFFD, and control characters
 *   (NUL included) removed, before hashing, analysis and writing.
 * - tags that normalise to nothing (emoji, punctuation) or to more than 40 characters: dropped and
 *   counted in metadata.topics.droppedTags; tags that normalise alike merge.
 * - negative or non-finite media or report counts: 0.
 * - unknown post type: {@link UnknownPostTypeError}; the job counts the post as failed, goes on.
 * - invisible format characters (Unicode Cf: zero-width space, joiners, BOM, soft hyphen, bidi
 *   marks) are removed before hashing and tokenising: "#hik\u200Bing" is the topic "hike".
 * - non-English captions: read by the English model. Words of scripts it does not know
 *   (Hebrew, Arabic, Cyrillic, …) count as words and, when at least 3 letters and not a Hebrew
 *   or Arabic function word, as keywords, kept as written (no lemmatiser for them); their
 *   hashtags are hashtags. Sentiment is null when the model read no word or emoji.
 */
export {
  activeClassifiers,
  type CaptionSummary,
  type ContentFeatures,
  type ContentSettings,
  computeContentFeatures,
  contentInputHash,
  type FeatureMetadata,
  type PostContent,
  settingsFingerprint,
  type VisualFeatures,
} from "./features.ts";
export {
  AMBIGUOUS_WORDS,
  DEFAULT_CLASSIFIERS,
  DEFAULT_NSFW_WEIGHTS,
  EXPLICIT_TERM_SCORE,
  isProfane,
  judgeNsfw,
  type NsfwClassifier,
  type NsfwEvidence,
  type NsfwInput,
  type NsfwVerdict,
  type NsfwWeights,
  PROFANE_TERM_SCORE,
  REPORT_KEEP,
  reportClassifier,
  textClassifier,
} from "./nsfw.ts";
export {
  DEFAULT_QUALITY_PARAMS,
  linkPenalty,
  mediaPart,
  POST_TYPE_WEIGHTS,
  type QualityBreakdown,
  type QualityParams,
  qualityFormulas,
  REPETITION_ALLOWANCE,
  repeatPenalty,
  repetitionPenalty,
  reportPenalty,
  scoreQuality,
  shoutingPenalty,
  textPart,
  UnknownPostTypeError,
} from "./quality.ts";
export {
  analyseCaption,
  type CaptionAnalysis,
  cleanText,
  repeatedTrigramShare,
  truncateText,
} from "./text.ts";
export {
  DEFAULT_TAGS_FIRST_PARAMS,
  extractTagsFirstTopics,
  extractTopics,
  MAX_TOPIC_LENGTH,
  TAG_WEIGHT,
  type TagsFirstParams,
  type TopicExtraction,
  topicKey,
} from "./topics.ts";
