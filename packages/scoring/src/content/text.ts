import { libraries } from "./libraries.ts";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// NUL cannot be stored in PostgreSQL text; other controls are noise. Tabs and line breaks stay.
const CONTROL = /(?![\t\n\r])\p{Cc}/gu;

/** A string PostgreSQL accepts: lone surrogates become U+FFFD, control characters go. */
export function cleanText(text: string): string {
  return text.replace(LONE_SURROGATE, "\uFFFD").replace(CONTROL, "");
}

/** The first `maxChars` UTF-16 units of `text`, never splitting a surrogate pair. */
export function truncateText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const last = text.charCodeAt(maxChars - 1);
  const end = last >= 0xd800 && last <= 0xdbff ? maxChars - 1 : maxChars;
  return text.slice(0, end);
}

/** What the caption says, measured on its first `maxCaptionChars` characters. */
export interface CaptionAnalysis {
  /** Characters of the cleaned caption, and how many were analysed. */
  readonly chars: number;
  readonly analysedChars: number;
  /** Whether the caption was longer than maxCaptionChars and only its start was analysed. */
  readonly truncated: boolean;
  /** The analysed text, NFKC-normalised (full-width and styled letters folded to plain ones). */
  readonly text: string;
  readonly words: number;
  /** Emoji and emoticons. */
  readonly emoji: number;
  readonly links: number;
  readonly hashtags: readonly string[];
  /** Content words that may become topics (nouns, proper nouns, -ing verbs), lower case. */
  readonly keywords: readonly string[];
  /** Share of upper-case among cased letters; null below {@link MIN_CASED_LETTERS}. */
  readonly capsRatio: number | null;
  /** Runs of one character repeated four or more times ("soooo", "!!!!"). */
  readonly repeatRuns: number;
  /** wink-nlp sentiment in [-1, 1]; null when there is no word, emoji or emoticon to judge. */
  readonly sentiment: number | null;
}

// Scheme or www links, e-mail addresses, and bare domains ("bit.ly/x"): wink-nlp misses most.
// Repetitions are bounded so that "a.a.a.…" cannot make the match quadratic.
const LINK =
  /\b(?:https?:\/\/|www\.)[^\s<>"']+|\b[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,4}|\b(?:[a-z0-9-]{1,63}\.){1,4}(?:com|net|org|io|co|ly|me|app|gg|tv|xyz|info|biz|link|shop|site)\b(?:\/[^\s<>"']*)?/giu;

/** Below this many cased letters ("OK", "NYC!") the caps ratio says nothing. */
export const MIN_CASED_LETTERS = 10;
const KEYWORD_POS = new Set(["NOUN", "PROPN"]);
const MIN_KEYWORD_LENGTH = 3;
// -ing verbs that name no activity ("thinking about", "looking for").
const LIGHT_GERUNDS = new Set(
  "being having doing going getting making taking thinking looking trying feeling wanting needing coming saying telling knowing keeping letting seeing finding giving putting hoping heading spending starting waiting wondering planning".split(
    " ",
  ),
);

export function analyseCaption(caption: string, maxCaptionChars: number): CaptionAnalysis {
  const text = truncateText(caption, maxCaptionChars).normalize("NFKC");
  const links = text.match(LINK)?.length ?? 0;
  const { nlp } = libraries();
  const its = nlp.its;
  // Links are counted, not read: their parts ("www", "com") are no words.
  const doc = nlp.readDoc(text.replace(LINK, " ").toLowerCase());
  const tokens = doc.tokens();
  const types = tokens.out(its.type) as string[];
  const normals = tokens.out(its.normal) as string[];
  const pos = tokens.out(its.pos) as string[];
  const stop = tokens.out(its.stopWordFlag) as boolean[];
  const keywords: string[] = [];
  const hashtags: string[] = [];
  let words = 0;
  let emoji = 0;
  types.forEach((type, i) => {
    const normal = normals[i] ?? "";
    if (type === "word") {
      words += 1;
      if (isKeyword(normal, pos[i] ?? "", stop[i] ?? true)) keywords.push(normal);
    } else if (type === "emoji" || type === "emoticon") emoji += 1;
    else if (type === "hashtag") hashtags.push(normal);
  });
  return {
    chars: caption.length,
    analysedChars: text.length,
    truncated: caption.length > maxCaptionChars,
    text,
    words,
    emoji,
    links,
    hashtags,
    keywords,
    capsRatio: capsRatio(text),
    repeatRuns: text.match(/(\S)\1{3,}/gu)?.length ?? 0,
    sentiment: words + emoji > 0 ? clampSentiment(doc.out(its.sentiment) as number) : null,
  };
}

function isKeyword(normal: string, pos: string, isStopWord: boolean): boolean {
  if (isStopWord || [...normal].length < MIN_KEYWORD_LENGTH) return false;
  // -ing verbs name activities ("went hiking"); other verbs ("love", "want") do not.
  return (
    KEYWORD_POS.has(pos) || (pos === "VERB" && normal.endsWith("ing") && !LIGHT_GERUNDS.has(normal))
  );
}

function capsRatio(text: string): number | null {
  const upper = text.match(/\p{Lu}/gu)?.length ?? 0;
  const lower = text.match(/\p{Ll}/gu)?.length ?? 0;
  return upper + lower < MIN_CASED_LETTERS ? null : upper / (upper + lower);
}

function clampSentiment(value: number): number {
  return Number.isFinite(value) ? Math.max(-1, Math.min(1, value)) : 0;
}
