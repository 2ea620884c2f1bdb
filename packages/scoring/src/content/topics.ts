import { libraries } from "./libraries.ts";
import { memoiseByWord } from "./memo.ts";
import { cleanText } from "./text.ts";

/** A topic longer than this is spam or a sentence, not a topic. */
export const MAX_TOPIC_LENGTH = 40;
/** A tag (or caption hashtag) outweighs a keyword mentioned up to this many times. */
export const TAG_WEIGHT = 3;

// Where the WordNet lemmatiser is wrong for topics: -ing nouns it would turn into another
// verb ("evening" → "even") and plural-only nouns it would singularise ("jeans" → "jean").
const LEMMA_OVERRIDES = new Map<string, string>([
  ["evening", "evening"],
  ["wedding", "wedding"],
  ["bedding", "bedding"],
  ["lenses", "lens"],
  ["jeans", "jeans"],
  ["pants", "pants"],
  ["shorts", "shorts"],
  ["sunglasses", "sunglasses"],
  ["media", "media"],
  ["data", "data"],
]);
// Singular nouns the noun rules would clip ("boss" → "bos", "physics" → "physic").
const NOT_PLURAL = /(ss|us|is|ics)$/;
const MIN_GERUND_LENGTH = 5;
// A one-syllable stem ending consonant-vowel-consonant before an undoubled -ing had a silent e
// ("dining" → "dine", "coding" → "code"), although WordNet also knows "din" and "cod" as verbs.
const SILENT_E_STEM = /^[^aeiou]*[aeiou][^aeiouwxy]$/;

/**
 * Caption keywords too generic to be a topic (time, people, the post itself), as lemmas. Tags
 * are the author's choice and are kept even when they are one of these.
 */
export const GENERIC_KEYWORDS: ReadonlySet<string> = new Set(
  "day week weekend month year night morning afternoon tonight today tomorrow yesterday time thing lot way people person everyone someone something anything everything nothing place plan post pic photo picture profile poll love lol omg monday tuesday wednesday thursday friday saturday sunday".split(
    " ",
  ),
);

/**
 * The topic a tag, hashtag or word stands for, or null when nothing is left. Context-free,
 * so every post maps a word to the same topic: clean, NFKC, lower case, leading `#` dropped,
 * words split on whitespace, `_` and `-`, characters other than letters, marks and digits
 * dropped, each word lemmatised (plural nouns to singular, -ing forms to their verb:
 * "#Hiking", "hikes" and "hiking" are all "hike"), words joined with `_` ("Road Trips" →
 * "road_trip"). Idempotent: `topicKey(topicKey(x)) === topicKey(x)`.
 */
export const topicKey: (raw: string) => string | null = memoiseByWord(computeTopicKey);

function computeTopicKey(raw: string): string | null {
  const words = cleanText(raw)
    .normalize("NFKC")
    .toLowerCase()
    .replace(/^[\s#]+/u, "")
    .split(/[\s_-]+/u)
    .map((word) => word.replace(/[^\p{L}\p{M}\p{N}]/gu, ""))
    .filter((word) => word.length > 0);
  if (words.length === 0) return null;
  const key = words.map(lemmaOf).join("_");
  return key.length > MAX_TOPIC_LENGTH ? null : key;
}

/** A word's lemma, iterated to a fixed point so that lemmas of lemmas do not drift. */
function lemmaOf(word: string): string {
  let current = word;
  for (let step = 0; step < 4; step += 1) {
    const next = lemmaStep(current);
    if (next === current) break;
    current = next;
  }
  return current;
}

function lemmaStep(word: string): string {
  const override = LEMMA_OVERRIDES.get(word);
  if (override !== undefined) return override;
  if (!/^[a-z]+$/.test(word)) return word;
  const { lemmatizer } = libraries();
  const noun = NOT_PLURAL.test(word) ? word : stringOr(lemmatizer.noun(word), word);
  // A plural becomes its singular first; the next step looks at the singular ("meetings").
  if (noun !== word || word.length < MIN_GERUND_LENGTH || !word.endsWith("ing")) return noun;
  const verb = stringOr(lemmatizer.verb(word), word);
  return `${verb}ing` === word && SILENT_E_STEM.test(verb) ? `${verb}e` : verb;
}

// wink-lemmatizer looks words up in plain objects: "constructor" would return a function.
function stringOr(value: unknown, fallback: string): string {
  return typeof value === "string" && value.length > 0 ? value : fallback;
}

export interface TopicExtraction {
  /** At most `maxTopics`, heaviest first, ties by name. */
  readonly topics: string[];
  /** Weight of each kept topic: {@link TAG_WEIGHT} per tag plus its caption mentions' weight. */
  readonly weights: Record<string, number>;
  /** Tags and hashtags that normalised to nothing, to more than {@link MAX_TOPIC_LENGTH}, or to a topic `allowTopic` refused. */
  readonly droppedTags: number;
}

/** content-features-v3's topic ranking: the author's tags above words mined from the caption. */
export interface TagsFirstParams {
  /** What one caption mention of a word weighs, against a tag's {@link TAG_WEIGHT}; 0: caption words are never topics. */
  readonly captionTopicWeight: number;
  /** Caption words kept after the tags, heaviest first. */
  readonly maxCaptionTopics: number;
}

/** v2's tag-to-mention ratio, and room for a few caption words on a post without tags. */
export const DEFAULT_TAGS_FIRST_PARAMS: TagsFirstParams = {
  captionTopicWeight: 1,
  maxCaptionTopics: 3,
};

/** A post's topic candidates before weighting. */
interface TopicCandidates {
  /** Topics of the tags and caption hashtags. */
  readonly tagTopics: ReadonlySet<string>;
  /** Caption mentions per topic: a tag's, or a keyword's that is not generic. */
  readonly mentions: ReadonlyMap<string, number>;
  readonly droppedTags: number;
}

function topicCandidates(
  tags: readonly string[],
  captionHashtags: readonly string[],
  keywords: readonly string[],
  allowTopic: (topic: string) => boolean,
): TopicCandidates {
  const allowedKey = (raw: string) => {
    const key = topicKey(raw);
    return key !== null && allowTopic(key) ? key : null;
  };
  const tagKeys = [...tags, ...captionHashtags].map(allowedKey);
  const tagTopics = new Set(tagKeys.filter((key) => key !== null));
  const mentions = new Map<string, number>();
  for (const [word, count] of countWords(keywords)) {
    const key = allowedKey(word);
    if (key !== null && (tagTopics.has(key) || !GENERIC_KEYWORDS.has(key))) {
      mentions.set(key, (mentions.get(key) ?? 0) + count);
    }
  }
  return { tagTopics, mentions, droppedTags: tagKeys.filter((key) => key === null).length };
}

/** The post's tags and caption hashtags, plus caption keywords, weighted and capped (v2). */
export function extractTopics(
  tags: readonly string[],
  captionHashtags: readonly string[],
  keywords: readonly string[],
  maxTopics: number,
  allowTopic: (topic: string) => boolean,
): TopicExtraction {
  const { tagTopics, mentions, droppedTags } = topicCandidates(
    tags,
    captionHashtags,
    keywords,
    allowTopic,
  );
  const weights = new Map<string, number>();
  for (const key of tagTopics) weights.set(key, TAG_WEIGHT);
  for (const [key, count] of mentions) weights.set(key, (weights.get(key) ?? 0) + count);
  const kept = heaviestFirst(weights).slice(0, maxTopics);
  return { topics: kept.map(([topic]) => topic), weights: Object.fromEntries(kept), droppedTags };
}

/**
 * content-features-v3: every tag and caption hashtag (the author's own labels) ranks above any
 * word mined from the caption, however often the caption repeats it, and at most
 * `maxCaptionTopics` caption words follow them. A tag weighs {@link TAG_WEIGHT} plus
 * `captionTopicWeight` per caption mention (which orders the tags); a caption word weighs
 * `captionTopicWeight` per mention. Why: on real data most users' top topics were caption
 * words rather than tags, and tags predicted what they engaged with next far better.
 */
export function extractTagsFirstTopics(
  tags: readonly string[],
  captionHashtags: readonly string[],
  keywords: readonly string[],
  maxTopics: number,
  allowTopic: (topic: string) => boolean,
  params: TagsFirstParams,
): TopicExtraction {
  const { tagTopics, mentions, droppedTags } = topicCandidates(
    tags,
    captionHashtags,
    keywords,
    allowTopic,
  );
  const tagWeights = new Map<string, number>();
  const wordWeights = new Map<string, number>();
  for (const key of tagTopics) tagWeights.set(key, TAG_WEIGHT);
  for (const [key, count] of mentions) {
    const weight = params.captionTopicWeight * count;
    if (tagTopics.has(key)) tagWeights.set(key, TAG_WEIGHT + weight);
    else if (weight > 0) wordWeights.set(key, weight);
  }
  const words = heaviestFirst(wordWeights).slice(0, params.maxCaptionTopics);
  const kept = [...heaviestFirst(tagWeights), ...words].slice(0, maxTopics);
  return { topics: kept.map(([topic]) => topic), weights: Object.fromEntries(kept), droppedTags };
}

/** Heaviest first, ties by name (bytes, the same on every machine). */
function heaviestFirst(weights: ReadonlyMap<string, number>): [string, number][] {
  return [...weights].sort(([a, wa], [b, wb]) => wb - wa || (a < b ? -1 : a > b ? 1 : 0));
}

function countWords(words: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}
