import { meanInterval, recallAtK } from "@feed-jobs/scoring/metrics";
import { mean, proportion } from "../measurements.ts";
import type { Measurement } from "../types.ts";
import type { Engaged } from "./outcomes.ts";

/** Cut-off of the rankings scored. */
export const K = 10;

/** A method's rankings for one user: creators and topics, best first (at least the top K). */
export interface Ranking {
  readonly creators: readonly string[];
  readonly topics: readonly string[];
}

/**
 * Recall@K of creators and of topics per user with an outcome, pooled over points; a user the
 * method has no ranking for counts 0 (nothing was personalised), and coverage says how many.
 */
export class RecallTally {
  private readonly creators: number[] = [];
  private readonly topics: number[] = [];
  private users = 0;
  private covered = 0;

  /** Adds one point: each user's outcome, scored against `rankingOf(user)` (undefined: none). */
  add(outcomes: ReadonlyMap<string, Engaged>, rankingOf: (userId: string) => Ranking | undefined) {
    for (const [userId, engaged] of outcomes) {
      const ranking = rankingOf(userId);
      this.users += 1;
      if (ranking) this.covered += 1;
      const creators = recallAtK(ranking?.creators ?? [], engaged.creators, K);
      const topics = recallAtK(ranking?.topics ?? [], engaged.topics, K);
      if (creators !== null) this.creators.push(creators);
      if (topics !== null) this.topics.push(topics);
    }
  }

  /** Mean recall@K of topics (null: no user engaged with a post that has topics). */
  topicRecall(): number | null {
    return meanInterval(this.topics).mean;
  }

  measurements(method: string): Measurement[] {
    const unit = "users × points";
    return [
      mean(method, `recall@${K} creators`, this.creators, unit),
      mean(method, `recall@${K} topics`, this.topics, unit),
      proportion(method, "coverage", this.covered, this.users, unit),
    ];
  }
}
