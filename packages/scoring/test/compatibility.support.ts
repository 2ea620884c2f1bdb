import type { PairActivity } from "../src/compatibility.ts";

export const NOW = new Date("2026-03-01T12:00:00Z");
export const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

const NO_ACTIONS = { likes: 0, comments: 0, shares: 0, profileViews: 0 };
const NO_EXPOSURE = { impressions: 0, seen: 0 };

/** A pair that did nothing, with `overrides` on top. */
export function activity(overrides: Partial<PairActivity> = {}): PairActivity {
  return {
    messagesSent: 0,
    messagesReceived: 0,
    lastMessageAt: null,
    replies: { count: 0, p25Seconds: null, medianSeconds: null, p75Seconds: null },
    actionsGiven: NO_ACTIONS,
    actionsReceived: NO_ACTIONS,
    exposureGiven: NO_EXPOSURE,
    exposureReceived: NO_EXPOSURE,
    recentInteractions: 0,
    earlierInteractions: 0,
    hides: { count: 0, lastAt: null },
    ...overrides,
  };
}

/** Replies whose latencies (in minutes) are `minutes`: quartiles as PostgreSQL's percentile_cont. */
export function replies(...minutes: number[]): PairActivity["replies"] {
  const sorted = minutes.map((m) => m * 60).sort((a, b) => a - b);
  const at = (p: number) => {
    const rank = p * (sorted.length - 1);
    const low = sorted[Math.floor(rank)] as number;
    const high = sorted[Math.ceil(rank)] as number;
    return low + (high - low) * (rank - Math.floor(rank));
  };
  return {
    count: sorted.length,
    p25Seconds: at(0.25),
    medianSeconds: at(0.5),
    p75Seconds: at(0.75),
  };
}
