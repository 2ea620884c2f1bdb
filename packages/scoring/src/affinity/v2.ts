import { topicKey } from "../content/topics.ts";
import { assembleProfile } from "./profile.ts";
import type {
  AffinityProfile,
  AffinitySettings,
  CreatorAudience,
  UserSignals,
  WeightedSignal,
} from "./types.ts";

/**
 * affinity-v2's own constants (the job's config group `v2`). v2 keeps v1's creators, type
 * shares, hides and rounding; it changes where topics come from and who gets a profile.
 */
export interface AffinityV2Params {
  /** Weight of a topic mined from a post's caption relative to one of its tags (1). */
  readonly captionTopicWeight: number;
  /** Like-units a post the user wrote contributes to its topics, before recency decay. */
  readonly ownPostWeight: number;
  /** Share of the type weight of engagement others gave the user's posts that counts for the user. */
  readonly receivedWeight: number;
  /** Actions plus own posts in the window below which a user gets no profile. */
  readonly minInteractions: number;
}

/**
 * Tags are the author's own labels; caption words are a guess (a place, a passing mention),
 * so a caption-only topic counts a quarter. Writing a post says about as much as commenting
 * (2 like-units); a like others give your post says less about you than your own like (0.25).
 * Three actions or posts make a profile: one from few signals beats none.
 */
export const DEFAULT_AFFINITY_V2_PARAMS: AffinityV2Params = {
  captionTopicWeight: 0.25,
  ownPostWeight: 2,
  receivedWeight: 0.25,
  minInteractions: 3,
};

/** A post's topics (post_features) and which of them are its tags. */
export interface PostTopics {
  readonly topics: readonly string[];
  readonly tagTopics: ReadonlySet<string>;
}

/** The topics a post's tags stand for, normalised as content-features normalises them. */
export function tagTopicsOf(tags: readonly string[]): Set<string> {
  const keys = new Set<string>();
  for (const tag of tags) {
    const key = topicKey(tag);
    if (key !== null) keys.add(key);
  }
  return keys;
}

/** One post in a user's window, with each way the user relates to it (decayed, type-weighted). */
export interface PostSignal extends PostTopics {
  readonly postId: string;
  /** The user's own engagement with the post (another's), as v1 weighs it. */
  readonly engaged: number;
  /** recencyDecayFactor ^ age of the post when the user wrote it in the window, else 0. */
  readonly authored: number;
  /** Engagement others gave the post when it is the user's, type-weighted and decayed. */
  readonly received: number;
}

export interface UserSignalsV2 extends UserSignals {
  /** Posts the user engaged with, wrote, or received engagement on in the window. */
  readonly posts: readonly PostSignal[];
  /** Posts the user wrote in the window: activity for the cold start. */
  readonly ownPostCount: number;
}

/**
 * Topic weights: each post's weight (engaged + ownPostWeight × authored + receivedWeight ×
 * received) goes in full to the topics that are its tags and × captionTopicWeight to the
 * others. Posts are summed in id order, so the sums do not depend on the order read.
 */
export function postTopicWeights(
  posts: readonly PostSignal[],
  params: AffinityV2Params,
): WeightedSignal[] {
  const totals = new Map<string, number>();
  const ordered = [...posts].sort((a, b) => (a.postId < b.postId ? -1 : 1));
  for (const post of ordered) {
    const weight =
      post.engaged + params.ownPostWeight * post.authored + params.receivedWeight * post.received;
    if (weight <= 0) continue;
    for (const topic of post.topics) {
      const share = post.tagTopics.has(topic) ? 1 : params.captionTopicWeight;
      totals.set(topic, (totals.get(topic) ?? 0) + weight * share);
    }
  }
  return [...totals].map(([key, weight]) => ({ key, weight }));
}

/** Actions and own posts: what v2's cold start counts. */
export function activityV2(signals: Pick<UserSignalsV2, "actionCount" | "ownPostCount">): number {
  return signals.actionCount + signals.ownPostCount;
}

/** The user's affinity-v2 profile, or null below `params.minInteractions` of activity. */
export function buildAffinityProfileV2(
  signals: UserSignalsV2,
  audience: CreatorAudience,
  settings: AffinitySettings,
  params: AffinityV2Params,
): AffinityProfile | null {
  const activity = activityV2(signals);
  if (activity < params.minInteractions) return null;
  const topics = postTopicWeights(signals.posts, params);
  return assembleProfile({ ...signals, topics }, audience, settings, activity);
}
