/**
 * UserCompatibility: how strong the relationship between a viewer and a target is, from what
 * the two did with each other (seed "Job 2: Compatibility Job", "Scope Boundaries"). Pure: the
 * job aggregates the inputs in SQL and passes them in; nothing here reads a clock or a database.
 *
 * Factors, each in [0, 1] (see each module):
 * - communication: message volume both ways × (balance, reply responsiveness, recency);
 * - interaction: weighted actions both ways (likes, comments, shares, profile views), with
 *   exposure (impressions, seen) confined to a small share (seed "Signal Semantics");
 * - mutualInterest: cosine similarity of the topics each engaged with, scaled by evidence;
 * - trajectory: interactions per day in the recent window against the earlier one.
 * score = weighted mean of the factors × hide penalty (seed "Negative Signals"). Blocks and
 * reports never reach this module: the job gives such pairs no row.
 *
 * The score is symmetric: swapping viewer and target (and so sent/received, given/received)
 * gives the same score. Rows are directional only through scope (a viewer's suggestions).
 *
 * Missing inputs, exactly:
 * - no messages: communication 0 (volume 0); balance 0; recency 0; daysSinceLastMessage null;
 * - messages one way only, or a single message: balance 0, no reply → responsiveness 0;
 * - no reply (latency undefined): responsiveness 0, medianReplyMinutes and replyConsistency null;
 *   replies without spread (all equally fast, or one reply): consistency 1;
 * - no actions and no exposure: interaction 0;
 * - no topic profile for either (no engaged post has PostFeatures topics yet): mutualInterest 0;
 * - no interaction in either trajectory window: trajectory 0, growth null;
 * - no hides: multiplier 1.
 * A pair with nothing at all (a suggestion the two never acted on) scores 0. In `factors`, a
 * factor without any input is recorded as `{ value: 0 }` alone (keeps the many suggestion-only
 * rows small) and `hides` appears only when there are hides.
 * Inputs that cannot come from real data (negative counts, events after now, replies without
 * quartiles) throw {@link InvalidActivityError}; the job counts that viewer as failed.
 *
 * Version 2 (compatibility-v2, v2.ts; v1 above stays the default and reproducible). Measured on
 * a real messaging log (1,899 people, 60k messages; issue 15, as direction), v1's AUC for "these
 * two talk in the next 7 days" was 0.667, against 0.781 for the time since their last message
 * alone and 0.715 for a decayed message count: v1 multiplies everything by volume while recency
 * is about 0.12 of the score, and balance and reply speed (70% of the communication blend)
 * scored 0.55 each alone, near chance. So v2 makes the two strong signals first-class parts of
 * an additive weighted mean instead of parts under a volume multiplier:
 * - contact: recency of the last two-way contact (the earlier of the two last messages: a
 *   conversation is live once both have written), halving every `contactHalfLifeDays`; 0 when
 *   either never wrote;
 * - activity: the decayed message count (each message weighs 0.5^(age / messageHalfLifeDays)),
 *   saturating at `activitySaturation`, so volume has diminishing returns and old volume fades;
 * - interaction, mutualInterest, trajectory and the hide penalty as in v1, so pairs that never
 *   wrote (suggestions) still rank by engagement and shared topics.
 * Balance and responsiveness are left out. Every constant is a key of the job's config group
 * `v2`. The score is monotone in contact recency and in the decayed count, and in [0, 1].
 *
 * Params must satisfy: weights >= 0 with a positive sum, saturations and half-lives > 0,
 * 0 <= exposureShare <= 1, 0 <= hidePenalty <= 1, 0 < recentDays < lookbackDays (the job's
 * config schema enforces this).
 */
export {
  type CommunicationFactor,
  communication,
  messageBalance,
  responsiveness,
} from "./communication.ts";
export { DEFAULT_COMPATIBILITY_PARAMS } from "./defaults.ts";
export { type HidePenalty, hidePenalty } from "./hides.ts";
export { type InteractionFactor, interactionHistory, weightedActions } from "./interaction.ts";
export {
  EMPTY_TOPIC_PROFILE,
  type MutualInterestFactor,
  mutualInterest,
  topicProfile,
} from "./mutual-interest.ts";
export {
  type Compatibility,
  type CompatibilityFactors,
  type CompatibilityInput,
  type NoInput,
  type ScopeReason,
  scoreCompatibility,
} from "./score.ts";
export { type TrajectoryFactor, trajectory } from "./trajectory.ts";
export type {
  ActionCounts,
  CompatibilityParams,
  ExposureCounts,
  PairActivity,
  ReplyLatencies,
  TopicProfile,
} from "./types.ts";
export {
  type ActivityFactor,
  type CompatibilityV2,
  type CompatibilityV2Factors,
  type CompatibilityV2Input,
  type CompatibilityV2Params,
  type ContactFactor,
  contactRecency,
  DEFAULT_COMPATIBILITY_V2_PARAMS,
  lastTwoWayContact,
  type MessageRecency,
  messageActivity,
  scoreCompatibilityV2,
} from "./v2.ts";
export { InvalidActivityError } from "./validate.ts";
