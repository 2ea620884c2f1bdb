import { dailyDecay } from "../common/decay.ts";
import type { NegativeSignal, WeightedSignal } from "./types.ts";

/**
 * Topic weights net of hides: each hidden post takes `hideWeight × hideDecayFactor^ageDays`
 * off every one of its topics (seed: "hides: strong negative weight with long decay"). Only
 * topics left with a positive weight are kept. Blocks and reports exclude a creator, not topics.
 */
export function netTopicWeights(
  topics: readonly WeightedSignal[],
  negatives: readonly NegativeSignal[],
  hideWeight: number,
  hideDecayFactor: number,
): Map<string, number> {
  const net = new Map<string, number>();
  for (const t of topics) net.set(t.key, (net.get(t.key) ?? 0) + t.weight);
  for (const hide of negatives) {
    if (hide.kind !== "HIDE") continue;
    const penalty = hideWeight * dailyDecay(hideDecayFactor, hide.ageDays);
    for (const topic of hide.topics) {
      const weight = net.get(topic);
      if (weight !== undefined) net.set(topic, weight - penalty);
    }
  }
  for (const [topic, weight] of net) if (weight <= 0) net.delete(topic);
  return net;
}
