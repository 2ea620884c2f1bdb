import { saturate } from "./curves.ts";
import type { CompatibilityParams, TopicProfile } from "./types.ts";

/** How many shared topics the explanation names. */
const SHARED_TOPICS_SHOWN = 3;

export const EMPTY_TOPIC_PROFILE: TopicProfile = { topics: [], engagements: [] };

export interface MutualInterestFactor {
  readonly value: number;
  /** Cosine similarity of the two topic profiles. */
  readonly similarity: number;
  /** The most shared topics, strongest first. */
  readonly sharedTopics: readonly string[];
  readonly viewerTopicEngagements: number;
  readonly targetTopicEngagements: number;
}

/** Builds a profile from (topic, engagements) pairs: duplicates summed, non-positive dropped. */
export function topicProfile(entries: Iterable<readonly [string, number]>): TopicProfile {
  const totals = new Map<string, number>();
  for (const [topic, count] of entries) totals.set(topic, (totals.get(topic) ?? 0) + count);
  const topics = [...totals.keys()].filter((t) => (totals.get(t) ?? 0) > 0).sort(compareText);
  return { topics, engagements: topics.map((t) => totals.get(t) ?? 0) };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const sum = (values: readonly number[]) => values.reduce((total, v) => total + v, 0);
const norm = (values: readonly number[]) =>
  Math.sqrt(values.reduce((total, v) => total + v * v, 0));

/** The topics both profiles hold, with the product of their engagements (a merge of sorted lists). */
function sharedTopics(a: TopicProfile, b: TopicProfile): { topic: string; product: number }[] {
  const shared: { topic: string; product: number }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.topics.length && j < b.topics.length) {
    const order = compareText(a.topics[i] as string, b.topics[j] as string);
    if (order === 0) {
      const product = (a.engagements[i] as number) * (b.engagements[j] as number);
      shared.push({ topic: a.topics[i] as string, product });
    }
    if (order <= 0) i++;
    if (order >= 0) j++;
  }
  return shared;
}

/**
 * Do the two engage with posts on the same topics? Cosine similarity of their topic profiles,
 * scaled by the evidence of the thinner profile (a single like each on one topic is not a
 * perfect match). Either profile empty: 0.
 */
export function mutualInterest(
  viewer: TopicProfile,
  target: TopicProfile,
  params: CompatibilityParams,
): MutualInterestFactor {
  const viewerTotal = sum(viewer.engagements);
  const targetTotal = sum(target.engagements);
  const shared = sharedTopics(viewer, target);
  const denominator = norm(viewer.engagements) * norm(target.engagements);
  const similarity = denominator === 0 ? 0 : sum(shared.map((s) => s.product)) / denominator;
  const evidence = saturate(Math.min(viewerTotal, targetTotal), params.saturation.topicEngagements);
  const strongest = shared
    .sort((x, y) => y.product - x.product || compareText(x.topic, y.topic))
    .slice(0, SHARED_TOPICS_SHOWN)
    .map((s) => s.topic);
  return {
    value: similarity * evidence,
    similarity,
    sharedTopics: strongest,
    viewerTopicEngagements: viewerTotal,
    targetTopicEngagements: targetTotal,
  };
}
