/**
 * Trending & popularity scoring (seed "Job 4"), pure: no I/O, "now" is passed in.
 *
 * Glossary
 * - candidate: a post that passed the gate (created in the last `windowHours`, live, not nsfw,
 *   never reported, at least `minEngagements` actions). Only candidates are scored.
 * - action: a like, comment, share, or a profile view attributed to the post (below).
 *   Impressions and "seen" are exposure, not engagement: they never count (seed "Signal
 *   Semantics"). A hide is a negative action: it weighs against popularity.
 *
 * Formulas (ageHours = hours from the post's creation to now)
 * - ageDecay      = 0.5 ^ (ageHours / halfLifeHours)          — halves every `halfLifeHours` (24 h).
 * - popularity    = max(0, likes·1 + comments·2 + shares·3 + profileViews·0.5 − hides·3) · ageDecay.
 *   (The seed's formula decays only the last term by operator precedence; the whole sum is meant.)
 * - velocity      = actions in the last `velocityWindowHours` / spanHours, in ENGAGEMENTS PER HOUR,
 *   spanHours     = min(velocityWindowHours, max(ageHours, velocityFloorHours)): a post younger than
 *   the window is measured over its life, but never over less than the floor (15 min), so five
 *   likes in a post's first minute do not read as 300 per hour.
 * - trending      = popularity > 0 and velocity > mean velocity of all candidates · trendingMultiplier.
 *   With one candidate, or all velocities 0, nothing trends.
 * - peakTime      = when the post was first seen trending: carried over from the previous run while
 *   it stays trending, `now` when it starts trending, null when it is not trending (reset).
 *   Its resolution is the schedule (15 min): a run cannot see a crossing between runs.
 * - decayMultiplier = 0.5 ^ (1 / effectiveHalfLife): the per-hour factor a reader applies to
 *   popularity for the time since computedAt. effectiveHalfLife = halfLifeHours · (s + (1 − s) ·
 *   min(1, momentum)) with s = fadeShortestShare (0.5), momentum = velocity / lifetime rate (actions / max(ageHours, floor)): a post
 *   still gaining actions as fast as over its life fades at the base half-life, one that has
 *   stalled fades twice as fast.
 *
 * Missing inputs: a post with no events of a kind has a count of 0 for it; a post with no
 * previous score has no peak to carry over.
 *
 * trending-v2 (issue 15's real-data findings), the same formulas except:
 * - gate (adaptiveGate) = actions ≥ minEngagements, or among the window's `minCandidates`
 *   most-acted-on posts with at least one action: a quiet day still has candidates.
 * - ageDecay halves every `halfLifeHours` of v2 (6 h by default: 3–12 h ranked next-day
 *   engagement better than 24 h; 6 h is that range's middle on a log scale).
 * - velocity (decayedVelocity) = Σ 0.5^(action age / h) / ((h / ln 2)·(1 − 0.5^(span / h))), a
 *   decayed rate over all the post's actions, never an empty window.
 */
export {
  ageDecayFactor,
  DEFAULT_FADE_SHORTEST_SHARE,
  decayMultiplier,
  type PeakState,
  peakTime,
  popularity,
  type TrendingWeights,
  trendingThreshold,
  velocityPerHour,
} from "./formulas.ts";
export { type AdaptiveGateParams, adaptiveGate, type GatedPost } from "./gate.ts";
export {
  rankByPopularity,
  type SharedTrendingParams,
  scoreCandidates,
  type TrendingCandidate,
  type TrendingParams,
  type TrendingScore,
} from "./score.ts";
export {
  decayedVelocity,
  scoreCandidatesV2,
  type TrendingV2Candidate,
  type TrendingV2Params,
} from "./v2.ts";
