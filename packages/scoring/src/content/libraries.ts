import { createRequire } from "node:module";
import type { RegExpMatcher } from "obscenity";
import type { WinkMethods } from "wink-nlp";

/**
 * The NLP libraries, loaded once per process on first use (~0.3 s: the wink model and the
 * WordNet lexicon of the lemmatiser), not at import, so that importing the job catalog for
 * another job stays cheap. Nothing here downloads anything: the model is an npm package.
 */
export interface Libraries {
  /** wink-nlp with the English lite model, without named-entity recognition (unused). */
  readonly nlp: WinkMethods;
  /** wink-lemmatizer: context-free WordNet lemmas (the POS-driven lemma of wink-nlp is not). */
  readonly lemmatizer: Lemmatizer;
  /** obscenity's English profanity matcher with its leetspeak/confusable transformers. */
  readonly profanity: ProfanityMatcher;
}

export interface Lemmatizer {
  noun(word: string): string;
  verb(word: string): string;
}

export interface ProfanityMatcher {
  readonly matcher: RegExpMatcher;
  /** The dataset word a match stands for (e.g. "fuck" for "fuk"). */
  wordOf(match: ReturnType<RegExpMatcher["getAllMatches"]>[number]): string | undefined;
}

/** Phrases in which a dataset word is innocent (a degree, birds, a novel, an idiom). */
export const INNOCENT_PHRASES: readonly string[] = [
  "cum laude",
  "blue tit",
  "great tit",
  "tit for tat",
  "moby dick",
  "anal retentive",
  "anal-retentive",
  "anally retentive",
];

const require = createRequire(import.meta.url);
let loaded: Libraries | undefined;

export function libraries(): Libraries {
  loaded ??= load();
  return loaded;
}

function load(): Libraries {
  const winkNLP = require("wink-nlp") as typeof import("wink-nlp").default;
  const model = require("wink-eng-lite-web-model") as import("wink-nlp").Model;
  const obscenity = require("obscenity") as typeof import("obscenity");
  const dataset = obscenity.englishDataset;
  const terms = dataset.build();
  return {
    nlp: winkNLP(model, ["sbd", "negation", "sentiment", "pos"]),
    lemmatizer: require("wink-lemmatizer") as Lemmatizer,
    profanity: {
      matcher: new obscenity.RegExpMatcher({
        ...terms,
        whitelistedTerms: [...(terms.whitelistedTerms ?? []), ...INNOCENT_PHRASES],
        ...obscenity.englishRecommendedTransformers,
      }),
      wordOf: (match) => dataset.getPayloadWithPhraseMetadata(match).phraseMetadata?.originalWord,
    },
  };
}
