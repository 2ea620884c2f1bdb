import { contentTypeShares, engagementVelocity, explorationFactor } from "./behaviour.ts";
import { creatorRelevance, eligibleCreators } from "./creators.ts";
import { topByWeight } from "./ranking.ts";
import { netTopicWeights } from "./topics.ts";
import type { AffinityProfile, AffinitySettings, CreatorAudience, UserSignals } from "./types.ts";

/** Cold start: fewer actions than this in the window means no profile at all. */
export function hasEnoughHistory(
  signals: Pick<UserSignals, "actionCount">,
  settings: AffinitySettings,
): boolean {
  return signals.actionCount >= settings.minInteractions;
}

/** The user's affinity profile, or null for a cold-start user (see {@link hasEnoughHistory}). */
export function buildAffinityProfile(
  signals: UserSignals,
  audience: CreatorAudience,
  settings: AffinitySettings,
): AffinityProfile | null {
  if (!hasEnoughHistory(signals, settings)) return null;
  return assembleProfile(signals, audience, settings, signals.actionCount);
}

/** The profile of a user past the cold start; `interactionCount` is what the cold start counted. */
export function assembleProfile(
  signals: UserSignals,
  audience: CreatorAudience,
  settings: AffinitySettings,
  interactionCount: number,
): AffinityProfile {
  const creators = eligibleCreators(signals.creators, signals.negatives);
  const topics = netTopicWeights(
    signals.topics,
    signals.negatives,
    settings.hideWeight,
    settings.hideDecayFactor,
  );
  const topCreators = topByWeight(creatorRelevance(creators, audience), settings.topCreatorsCount);
  return {
    userId: signals.userId,
    topCreators: topCreators.map(({ key, weight }) => ({ userId: key, weight })),
    topTopics: topByWeight(topics, settings.topTopicsCount).map(({ key, weight }) => ({
      tag: key,
      weight,
    })),
    contentTypePrefs: contentTypeShares(signals.postTypes),
    engagementVelocity: engagementVelocity(
      signals.actionCount,
      signals.accountAgeDays,
      settings.lookbackDays,
    ),
    explorationFactor: explorationFactor(topics.values(), creators.values()),
    interactionCount,
  };
}
