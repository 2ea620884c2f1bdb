import { normalizedEntropy } from "../common/entropy.ts";
import { round6 } from "./ranking.ts";
import type { ContentTypePrefs, PostTypeName, WeightedSignal } from "./types.ts";

const PREF_OF_TYPE: Record<PostTypeName, keyof ContentTypePrefs> = {
  PHOTO: "photos",
  TEXT: "text",
  POLL: "polls",
  VIDEO: "videos",
};

/** Without any post engagement (profile views only) nothing is known: an even split. */
const EVEN_SPLIT: ContentTypePrefs = { photos: 0.25, text: 0.25, polls: 0.25, videos: 0.25 };

/** Each post type's share of the user's weighted post engagement; the shares sum to 1. */
export function contentTypeShares(
  postTypes: readonly WeightedSignal<PostTypeName>[],
): ContentTypePrefs {
  const totals = { photos: 0, text: 0, polls: 0, videos: 0 };
  for (const t of postTypes) if (t.weight > 0) totals[PREF_OF_TYPE[t.key]] += t.weight;
  const sum = totals.photos + totals.text + totals.polls + totals.videos;
  if (sum === 0) return EVEN_SPLIT;
  return {
    photos: round6(totals.photos / sum),
    text: round6(totals.text / sum),
    polls: round6(totals.polls / sum),
    videos: round6(totals.videos / sum),
  };
}

/**
 * Actions per day over the days the user could act in the window: the lookback, or the
 * account's age when younger (at least one day), so a week-old account is not diluted by 90.
 */
export function engagementVelocity(
  actionCount: number,
  accountAgeDays: number,
  lookbackDays: number,
): number {
  const days = Math.min(lookbackDays, Math.max(1, accountAgeDays));
  return round6(actionCount / days);
}

/**
 * Diversity of engaged content: the mean normalised entropy of the topic weights and of the
 * creator weights (each 0 when concentrated on one item, 1 when evenly spread). A dimension
 * with nothing in it (no topic known) is left out of the mean; with neither, 0.
 */
export function explorationFactor(
  topicWeights: Iterable<number>,
  creatorWeights: Iterable<number>,
): number {
  const spreads: number[] = [];
  for (const weights of [[...topicWeights], [...creatorWeights]]) {
    if (weights.some((w) => w > 0)) spreads.push(normalizedEntropy(weights));
  }
  if (spreads.length === 0) return 0;
  return round6(spreads.reduce((sum, s) => sum + s, 0) / spreads.length);
}
