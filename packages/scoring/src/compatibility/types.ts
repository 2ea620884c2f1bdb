/** Likes, comments, shares and profile views one user gave the other: actions (seed "Signal Semantics"). */
export interface ActionCounts {
  readonly likes: number;
  readonly comments: number;
  readonly shares: number;
  readonly profileViews: number;
}

/** Impressions and "seen" one user had of the other's posts: exposure, not intent. */
export interface ExposureCounts {
  readonly impressions: number;
  readonly seen: number;
}

/**
 * Reply latencies of a pair's thread: a reply is a message whose previous message in the
 * thread came from the other person; its latency is the time since that message.
 * Quartiles are null when there is no reply.
 */
export interface ReplyLatencies {
  readonly count: number;
  readonly p25Seconds: number | null;
  readonly medianSeconds: number | null;
  readonly p75Seconds: number | null;
}

/** What one viewer and one target did with each other, as seen from the viewer. */
export interface PairActivity {
  /** Messages viewer → target in the lookback window. */
  readonly messagesSent: number;
  /** Messages target → viewer in the lookback window. */
  readonly messagesReceived: number;
  readonly lastMessageAt: Date | null;
  readonly replies: ReplyLatencies;
  /** Viewer's actions on the target's posts and profile. */
  readonly actionsGiven: ActionCounts;
  /** Target's actions on the viewer's posts and profile. */
  readonly actionsReceived: ActionCounts;
  readonly exposureGiven: ExposureCounts;
  readonly exposureReceived: ExposureCounts;
  /** Messages and actions (both ways) in the recent window: the last `recentDays`. */
  readonly recentInteractions: number;
  /** Messages and actions (both ways) in the rest of the lookback window. */
  readonly earlierInteractions: number;
  /** Hides by either of the two of the other (their posts or profile), at any time before now. */
  readonly hides: { readonly count: number; readonly lastAt: Date | null };
}

/** How often a user engaged (like, comment, share) with posts of each topic. */
export interface TopicProfile {
  /** Ascending (JavaScript string order), without duplicates. */
  readonly topics: readonly string[];
  /** Engagements per topic, aligned with `topics`. */
  readonly engagements: readonly number[];
}

/** The tunable part of the algorithm (the job's config carries these keys). */
export interface CompatibilityParams {
  /** Relative weights of the four factors; they need not sum to 1 (the score divides by their sum). */
  readonly weights: {
    readonly communication: number;
    readonly interaction: number;
    readonly mutualInterest: number;
    readonly trajectory: number;
  };
  /** Weight of each action in the interaction-history factor. */
  readonly actionWeights: {
    readonly like: number;
    readonly comment: number;
    readonly share: number;
    readonly profileView: number;
  };
  /**
   * How the communication factor's blend splits between balance, responsiveness and recency of
   * the last message (summing to 1); message volume multiplies the blend.
   */
  readonly communicationParts: {
    readonly balance: number;
    readonly responsiveness: number;
    readonly recency: number;
  };
  /** Share of responsiveness that reply consistency decides; the rest is reply speed alone. */
  readonly replyConsistencyShare: number;
  /** Share of the interaction factor that exposure (impressions, seen) can fill at most. */
  readonly exposureShare: number;
  /** How many impressions (merely rendered) a "seen" (in the viewport) counts as. */
  readonly seenAsImpressions: number;
  /** Amount of each input at which its factor reaches 1 - 1/e (about 0.63). */
  readonly saturation: {
    readonly messages: number;
    readonly actions: number;
    readonly exposures: number;
    readonly topicEngagements: number;
    readonly interactions: number;
  };
  /** A median reply this slow halves the responsiveness. */
  readonly replyHalfLifeHours: number;
  /** A last message this old halves the recency. */
  readonly recencyHalfLifeDays: number;
  /** Share of the score a fresh hide takes away. */
  readonly hidePenalty: number;
  /** A hide this old weighs half. */
  readonly hideHalfLifeDays: number;
  readonly lookbackDays: number;
  /** The trajectory's recent window; the earlier window is the rest of the lookback. */
  readonly recentDays: number;
}
