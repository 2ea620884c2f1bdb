/** Inputs and outputs of affinity scoring; see index.ts for what each figure means. */

export type PostTypeName = "PHOTO" | "TEXT" | "POLL" | "VIDEO";

/** Negative actions (seed "Signal Semantics"); each excludes its creator from topCreators. */
export type NegativeKind = "HIDE" | "BLOCK" | "REPORT";

/** Weight of one event of each positive signal type, before recency decay. */
export interface SignalWeights {
  readonly impression: number;
  readonly seen: number;
  readonly profileView: number;
  readonly like: number;
  readonly comment: number;
  readonly share: number;
}

export interface AffinitySettings {
  /** Actions in the lookback window below which a user gets no profile. */
  readonly minInteractions: number;
  readonly lookbackDays: number;
  readonly topCreatorsCount: number;
  readonly topTopicsCount: number;
  /** Topic weight a hidden post takes off each of its topics when fresh, in like-units. */
  readonly hideWeight: number;
  /** Per-day decay of a hide's penalty (long: 0.99 keeps half after about 69 days). */
  readonly hideDecayFactor: number;
}

/** A weighted, recency-decayed engagement total of one user with one key (creator, topic, type). */
export interface WeightedSignal<Key extends string = string> {
  readonly key: Key;
  readonly weight: number;
}

export interface CreatorSignal extends WeightedSignal {
  /** False for a deleted or deactivated creator: never recommended, still counted as engagement. */
  readonly available: boolean;
}

/** One negative action of the user: `ageDays` before now, on a post with `topics` (or a profile). */
export interface NegativeSignal {
  readonly kind: NegativeKind;
  readonly creatorId: string;
  readonly ageDays: number;
  readonly topics: readonly string[];
}

/** Everything known about one user's behaviour in the lookback window. */
export interface UserSignals {
  readonly userId: string;
  /** Likes, comments, shares and profile views in the window (exposure excluded). */
  readonly actionCount: number;
  /** Days since the account was created. */
  readonly accountAgeDays: number;
  readonly creators: readonly CreatorSignal[];
  readonly topics: readonly WeightedSignal[];
  readonly postTypes: readonly WeightedSignal<PostTypeName>[];
  /** Every hide, block and report of the user, whenever it happened. */
  readonly negatives: readonly NegativeSignal[];
}

/** Distinct users who acted on each creator in the window, out of `population` users. */
export interface CreatorAudience {
  readonly population: number;
  audienceOf(creatorId: string): number;
}

export interface ContentTypePrefs {
  readonly photos: number;
  readonly text: number;
  readonly polls: number;
  readonly videos: number;
}

export interface AffinityProfile {
  readonly userId: string;
  readonly topCreators: readonly { userId: string; weight: number }[];
  readonly topTopics: readonly { tag: string; weight: number }[];
  readonly contentTypePrefs: ContentTypePrefs;
  /** Actions per day. */
  readonly engagementVelocity: number;
  /** 0 = one topic and one creator only, 1 = evenly spread. */
  readonly explorationFactor: number;
  readonly interactionCount: number;
}
