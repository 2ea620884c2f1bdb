/**
 * User affinity profiles (seed "Job 5", "Negative Signals", "Signal Semantics"), pure: no I/O.
 *
 * Glossary
 * - signal: one engagement event of the user in the lookback window (90 days), of one type.
 *   Exposure (impression: rendered; seen: in the viewport) and actions (like, comment, share,
 *   profile view) are separate signals with separate weights; negative actions (hide, block,
 *   report) are never positive signals.
 * - action: a like, comment, share or profile view. Only actions count as interactions:
 *   `minInteractions`, `interactionCount` and the velocity count actions, never exposure.
 * - weight of a signal = type weight × recency decay. Type weights (config, defaults in
 *   defaults.ts): share 3 > comment 2 > like 1 > profile view 0.5 > seen 0.1 > impression 0.02
 *   — exposure barely counts, so what the feed happened to show cannot build an affinity by
 *   itself. Recency decay = recencyDecayFactor ^ ageDays (0.95: half weight after ~13.5 days),
 *   computed in SQL as `power(factor, ageSeconds / 86400)`, the same as `dailyDecay`.
 * - creator: the author of a post the user engaged with, or the profile the user viewed.
 *   Engagement with one's own posts or profile is ignored.
 * - audience of a creator: distinct users with at least one action on them in the window.
 *
 * Profile (one per user with at least `minInteractions` actions in the window)
 * - topCreators: weight × ln(1 + population / audience) (TF-IDF: a creator everyone engages
 *   with says little about this user), divided by the user's largest, top 20, in (0, 1].
 *   Never a creator the user hid, blocked or reported, at any time (seed: blocks and reports
 *   are permanent exclusions; hides exclude the creator too), nor a deleted or deactivated one.
 * - topTopics: summed weights of the topics of engaged posts (PostFeatures.topics; a post
 *   without a features row contributes no topic, a topic gets the post's full weight), minus
 *   `hideWeight × hideDecayFactor^ageDays` per hidden post carrying it (3 like-units, half
 *   left after ~69 days); topics left ≤ 0 are dropped; divided by the largest, top 30.
 * - contentTypePrefs: each post type's share of the weighted post engagement (sum 1); an even
 *   0.25 split when the user engaged with no post (profile views only).
 * - engagementVelocity: actions per day over min(lookbackDays, account age, at least 1 day).
 * - explorationFactor: mean normalised entropy of topic weights and creator weights (0 = one
 *   topic and one creator, 1 = evenly spread); a user without topics is judged on creators.
 * - Weights are rounded to 6 decimals before ranking; ties are broken by id.
 *
 * Cold start: a user with fewer than `minInteractions` actions in the window (or a deleted
 * user) gets NO profile row — readers treat a missing row as "no personalisation yet" — and
 * an existing profile is removed when the user falls below.
 *
 * affinity-v2 (v2.ts; constants in the config group `v2`) changes topics and the cold start:
 * - a post's weight for the user = engaged (as v1) + ownPostWeight × decay(age of the post)
 *   when the user wrote it in the window + receivedWeight × the type-weighted, decayed
 *   likes, comments and shares others gave it; the user's own posts count even without
 *   anyone engaging, and a post that draws engagement says more about its author.
 * - each topic of the post gets that weight × 1 when the topic is one of the post's tags
 *   (normalised by topicKey) and × captionTopicWeight when it was mined from the caption.
 * - a profile from minInteractions (v2) actions plus own posts in the window; that count is
 *   the profile's interactionCount. Creators, type shares, velocity, hides: as v1.
 */
export { contentTypeShares, engagementVelocity, explorationFactor } from "./behaviour.ts";
export { creatorRelevance, eligibleCreators, inverseAudienceFrequency } from "./creators.ts";
export {
  DEFAULT_AFFINITY_SETTINGS,
  DEFAULT_RECENCY_DECAY_FACTOR,
  DEFAULT_SIGNAL_WEIGHTS,
} from "./defaults.ts";
export { assembleProfile, buildAffinityProfile, hasEnoughHistory } from "./profile.ts";
export { topByWeight } from "./ranking.ts";
export { netTopicWeights } from "./topics.ts";
export type {
  AffinityProfile,
  AffinitySettings,
  ContentTypePrefs,
  CreatorAudience,
  CreatorSignal,
  NegativeKind,
  NegativeSignal,
  PostTypeName,
  SignalWeights,
  UserSignals,
  WeightedSignal,
} from "./types.ts";
export {
  type AffinityV2Params,
  activityV2,
  buildAffinityProfileV2,
  DEFAULT_AFFINITY_V2_PARAMS,
  type PostSignal,
  type PostTopics,
  postTopicWeights,
  tagTopicsOf,
  type UserSignalsV2,
} from "./v2.ts";
