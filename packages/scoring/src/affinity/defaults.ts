import type { AffinitySettings, SignalWeights } from "./types.ts";

/** share > comment > like > profile view > seen > impression; see index.ts for why. */
export const DEFAULT_SIGNAL_WEIGHTS: SignalWeights = {
  impression: 0.02,
  seen: 0.1,
  profileView: 0.5,
  like: 1,
  comment: 2,
  share: 3,
};

/** Seed "Job 5" configuration, plus the hide penalty (seed "Negative Signals"). */
export const DEFAULT_AFFINITY_SETTINGS: AffinitySettings = {
  minInteractions: 10,
  lookbackDays: 90,
  topCreatorsCount: 20,
  topTopicsCount: 30,
  hideWeight: 3,
  hideDecayFactor: 0.99,
};

/** Seed "Job 5": signals lose 5% of their weight per day of age. */
export const DEFAULT_RECENCY_DECAY_FACTOR = 0.95;
