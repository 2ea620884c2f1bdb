import { libraries } from "./libraries.ts";
import { memoiseByWord } from "./memo.ts";

/** What a classifier sees of a post (strings already cleaned). */
export interface NsfwInput {
  readonly type: string;
  readonly mediaCount: number;
  readonly reportCount: number;
  /** The analysed caption (NFKC, cut to maxCaptionChars); "" when there is none. */
  readonly caption: string;
  readonly tags: readonly string[];
}

/** One classifier's verdict: a probability-like score in [0, 1] and why. */
export interface NsfwEvidence {
  readonly source: string;
  readonly score: number;
  readonly detail: Readonly<Record<string, unknown>>;
}

/**
 * A source of nsfw evidence. V1 has the caption and the reports; an image service plugs in as
 * a classifier of kind "image" whose scores the job fetches per batch before scoring (so this
 * stays synchronous and pure). Image classifiers are skipped when `includeImages` is off.
 */
export interface NsfwClassifier {
  readonly name: string;
  readonly kind: "text" | "image";
  /**
   * null: nothing to say about this post (no caption, no reports, no media). `weights`: what
   * a term or a report counts as (default {@link DEFAULT_NSFW_WEIGHTS}).
   */
  classify(input: NsfwInput, weights?: NsfwWeights): NsfwEvidence | null;
}

/**
 * A sexually explicit term scores 0.6 (two flag a post at the default threshold 0.8), other
 * profanity and slurs 0.2 per occurrence (a lone swear word is not nsfw).
 */
export const EXPLICIT_TERM_SCORE = 0.6;
export const PROFANE_TERM_SCORE = 0.2;
/** Each report adds evidence: 1 − 0.7^reports (1 → 0.3, 3 → 0.66, 5 → 0.83). */
export const REPORT_KEEP = 0.7;

/** What the built-in classifiers count a term or a report as. */
export interface NsfwWeights {
  /** Evidence of one sexually explicit term. */
  readonly explicitTerm: number;
  /** Evidence of one other profane term or slur. */
  readonly profaneTerm: number;
  /** Reports add evidence 1 − reportKeep^reports. */
  readonly reportKeep: number;
}

export const DEFAULT_NSFW_WEIGHTS: NsfwWeights = {
  explicitTerm: EXPLICIT_TERM_SCORE,
  profaneTerm: PROFANE_TERM_SCORE,
  reportKeep: REPORT_KEEP,
};

// obscenity's English dataset words that are sexual content rather than swearing or slurs.
const EXPLICIT_WORDS = new Set(
  "anal anus bestiality blowjob boob buttplug cock cum deepthroat dick dildo doggystyle ejaculate felch fellatio fisting gangbang handjob hentai hooker incest jizz lubejob masturbate orgasm orgy penis porn pussy rape semen sex slut tit twat vagina wank whore".split(
    " ",
  ),
);
const EXPLICIT_PHRASES = ["double penetration", "finger bang", "jerk off"];

/**
 * Dataset words with an innocent reading: a name ("Dick", "Hooker"), an abbreviation ("Anal."
 * for analysis), an animal ("tit", "cock", "pussy"), Latin ("cum"), a crop ("rape"). They count
 * only as whole words ("Dickson", "cumin", "rapeseed", "Kanal" do not), and written capitalised
 * (a name or a title) only when an unambiguous sexual term in the same post gives the context.
 */
export const AMBIGUOUS_WORDS: ReadonlySet<string> = new Set(
  "anal cock cum dick hooker pussy rape tit".split(" "),
);
// Letters after an ambiguous term that keep it the same word: inflections and insult compounds.
const SAME_WORD_ENDING = /^(?:s|es|ed|ing|ly|y|ie|ies|ty|ties|head|heads)?$/u;
const LETTER = /[\p{L}\p{M}]/u;

/** One dataset word found in the text, with where it stands. */
interface Found {
  readonly term: string;
  readonly start: number;
  /** Inclusive, as obscenity reports it. */
  readonly end: number;
}

/** Profanity in the caption and tags, with leetspeak and look-alikes ("sh1t", "fuk", "p0rn"). */
export const textClassifier: NsfwClassifier = {
  name: "text",
  kind: "text",
  classify({ caption, tags }, weights = DEFAULT_NSFW_WEIGHTS) {
    const text = [caption, ...tags].join("\n").trim();
    if (text.length === 0) return null;
    const found = findTerms(text);
    const sexualContext = found.some((f) => isExplicit(f.term) && !AMBIGUOUS_WORDS.has(f.term));
    const counted: string[] = [];
    const ignored: string[] = [];
    for (const f of found) (counts(text, f, sexualContext) ? counted : ignored).push(f.term);
    const score = combine(
      counted.map((term) => (isExplicit(term) ? weights.explicitTerm : weights.profaneTerm)),
    );
    const detail = {
      terms: distinctSorted(counted),
      ...(ignored.length > 0 ? { ignored: distinctSorted(ignored) } : {}),
    };
    return { source: "text", score, detail };
  },
};

function findTerms(text: string): Found[] {
  const { profanity } = libraries();
  const spans = new Map<string, Found>();
  for (const match of profanity.matcher.getAllMatches(text, true)) {
    // Several patterns can match one span ("sh1t"): one occurrence each.
    const term = profanity.wordOf(match) ?? "unknown";
    spans.set(`${match.startIndex}:${match.endIndex}`, {
      term,
      start: match.startIndex,
      end: match.endIndex,
    });
  }
  return [...spans.values()];
}

/** Whether a found term is evidence: always, unless it is ambiguous and read innocently. */
function counts(text: string, found: Found, sexualContext: boolean): boolean {
  if (!AMBIGUOUS_WORDS.has(found.term)) return true;
  const before = text[found.start - 1] ?? "";
  let after = found.end + 1;
  while (after < text.length && LETTER.test(text[after] ?? "")) after += 1;
  const wholeWord =
    !LETTER.test(before) && SAME_WORD_ENDING.test(text.slice(found.end + 1, after).toLowerCase());
  if (!wholeWord) return false;
  const capitalised = /^\p{Lu}(?!\p{Lu})/u.test(text.slice(found.start, found.end + 1));
  return !capitalised || sexualContext;
}

function distinctSorted(terms: readonly string[]): string[] {
  return [...new Set(terms)].sort();
}

/** Reports are evidence too: users flag what the caption does not show. */
export const reportClassifier: NsfwClassifier = {
  name: "reports",
  kind: "text",
  classify({ reportCount }, weights = DEFAULT_NSFW_WEIGHTS) {
    if (reportCount <= 0) return null;
    return {
      source: "reports",
      score: 1 - weights.reportKeep ** reportCount,
      detail: { reports: reportCount },
    };
  },
};

export const DEFAULT_CLASSIFIERS: readonly NsfwClassifier[] = [textClassifier, reportClassifier];

/** Whether a word or topic contains profanity (such words never become topics). */
export const isProfane: (word: string) => boolean = memoiseByWord((word) =>
  libraries().profanity.matcher.hasMatch(word),
);

export interface NsfwVerdict {
  readonly score: number;
  readonly nsfw: boolean;
  readonly threshold: number;
  readonly classifiers: readonly string[];
  readonly evidence: readonly NsfwEvidence[];
}

/** Independent evidence combined as 1 − Π(1 − score); nsfw when it reaches the threshold. */
export function judgeNsfw(
  input: NsfwInput,
  classifiers: readonly NsfwClassifier[],
  threshold: number,
  weights: NsfwWeights = DEFAULT_NSFW_WEIGHTS,
): NsfwVerdict {
  const evidence = classifiers
    .map((classifier) => classifier.classify(input, weights))
    .filter((e): e is NsfwEvidence => e !== null);
  const score = combine(evidence.map((e) => e.score));
  return {
    score,
    nsfw: score >= threshold,
    threshold,
    classifiers: classifiers.map((c) => c.name),
    evidence,
  };
}

function combine(scores: readonly number[]): number {
  const clear = scores.reduce((product, s) => product * (1 - Math.min(1, Math.max(0, s))), 1);
  return 1 - clear;
}

function isExplicit(term: string): boolean {
  return EXPLICIT_WORDS.has(term) || EXPLICIT_PHRASES.includes(term);
}
