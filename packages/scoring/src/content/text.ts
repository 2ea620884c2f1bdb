import { libraries } from "./libraries.ts";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// NUL cannot be stored in PostgreSQL text; other controls are noise. Tabs and line breaks stay.
const CONTROL = /(?![\t\n\r])\p{Cc}/gu;
// Invisible format characters (zero-width space and joiners, word joiner, BOM, soft hyphen,
// bidi marks): they change no word a reader sees, but split one for a tokeniser.
const FORMAT = /\p{Cf}/gu;

/**
 * A string PostgreSQL accepts, as a reader sees it: lone surrogates become U+FFFD, control
 * and format characters go.
 */
export function cleanText(text: string): string {
  return text.replace(LONE_SURROGATE, "\uFFFD").replace(CONTROL, "").replace(FORMAT, "");
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
  /**
   * Content words that may become topics, lower case: nouns, proper nouns and -ing verbs of
   * English; words of scripts the English model does not read (Hebrew, Arabic, …) as written.
   */
  readonly keywords: readonly string[];
  /** Share of the word trigrams that repeat an earlier one (0: no phrase said twice). */
  readonly repetition: number;
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

// Frequent Hebrew and Arabic function words of three letters or more (shorter words are no
// keywords anyway): pronouns, possessives, prepositions, conjunctions, common adverbs, "today".
const FOREIGN_STOP_WORDS: ReadonlySet<string> = new Set(
  [
    "אני אתה הוא היא אנחנו אתם אתן הם הן שלי שלך שלו שלה שלנו שלכם שלהם אבל אין היה הייתה היו יהיה כמו עוד כבר מאוד אחרי לפני בין איך למה כאשר כדי אשר אותו אותה אותי אותם זאת הזה הזאת האלה אלה איפה מתי עכשיו היום כאן הרבה קצת יותר פחות משהו מישהו ממש אפילו בגלל אולי תמיד אחד אחת",
    "على إلى الى هذا هذه ذلك تلك التي الذي الذين كان كانت يكون ليس لكن أيضا أيضاً بعد قبل عند حتى لقد بين كيف لماذا متى أين هناك هنا جدا جداً بعض غير مثل فقط أنا أنت نحن أنتم لدي عندي اليوم الآن كانوا منذ خلال حول دون فوق تحت أكثر أقل سوف وهو وهي",
  ]
    .join(" ")
    .split(" "),
);

export function analyseCaption(caption: string, maxCaptionChars: number): CaptionAnalysis {
  // Cleaned here too (idempotent), so that no caller tokenises invisible word splitters.
  const text = cleanText(truncateText(caption, maxCaptionChars)).normalize("NFKC");
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
  const spaces = tokens.out(its.precedingSpaces) as string[];
  const keywords: string[] = [];
  const hashtags: string[] = [];
  const wordList: string[] = [];
  let modelWords = 0;
  let emoji = 0;
  types.forEach((type, i) => {
    const normal = normals[i] ?? "";
    if (type === "word") {
      modelWords += 1;
      wordList.push(normal);
      if (isKeyword(normal, pos[i] ?? "", stop[i] ?? true)) keywords.push(normal);
    } else if (type === "emoji" || type === "emoticon") emoji += 1;
    else if (type === "hashtag") hashtags.push(normal);
    else if (isUnreadWord(type, normal)) {
      wordList.push(normal);
      // The English model splits "#טיול" into "#" and an unknown token.
      if (normals[i - 1] === "#" && spaces[i] === "") hashtags.push(`#${normal}`);
      else if (isUnreadKeyword(normal)) keywords.push(normal);
    }
  });
  const words = wordList.length;
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
    repetition: repeatedTrigramShare(wordList),
    repeatRuns: text.match(/(\S)\1{3,}/gu)?.length ?? 0,
    // The lexicon is English: words it cannot read give no sentiment, not a neutral one.
    sentiment: modelWords + emoji > 0 ? clampSentiment(doc.out(its.sentiment) as number) : null,
  };
}

/**
 * Share of the word trigrams that already occurred earlier in the text: about 0 for written
 * text, near 1 for one phrase pasted over and over. Trigrams, not single words, so that
 * ordinary function-word reuse ("the", "and") does not count.
 */
export function repeatedTrigramShare(words: readonly string[]): number {
  const trigrams = words.length - 2;
  if (trigrams <= 0) return 0;
  const seen = new Set<string>();
  let repeated = 0;
  for (let i = 0; i < trigrams; i += 1) {
    const trigram = `${words[i]} ${words[i + 1]} ${words[i + 2]}`;
    if (seen.has(trigram)) repeated += 1;
    else seen.add(trigram);
  }
  return repeated / trigrams;
}

// A token the English model typed "unk" that is a word of another script: letters and marks
// (digits allowed inside), e.g. Hebrew, Arabic, Cyrillic.
const UNREAD_WORD = /^[\p{L}\p{M}\p{N}]*\p{L}[\p{L}\p{M}\p{N}]*$/u;

function isUnreadWord(type: string, normal: string): boolean {
  return type === "unk" && UNREAD_WORD.test(normal);
}

/**
 * Without a tagger for the script, a word is a keyword when it is long enough and not a
 * function word of its language (Hebrew and Arabic lists; other scripts have none yet).
 */
function isUnreadKeyword(normal: string): boolean {
  return [...normal].length >= MIN_KEYWORD_LENGTH && !FOREIGN_STOP_WORDS.has(normal);
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
