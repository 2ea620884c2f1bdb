import {
  EMPTY_TOPIC_PROFILE,
  type TopicProfile,
  topicProfile,
} from "@feed-jobs/scoring/compatibility";
import type { TopicRow, TopicRows } from "./queries.ts";

/**
 * Topic profiles of the users a run has met so far. A user is a target of many viewers (and
 * a viewer once): loading each profile once per run keeps the reads linear in the events.
 */
export class TopicProfileCache {
  readonly #profiles = new Map<string, TopicProfile>();

  /** `load`: reads the profile rows of users not loaded yet. */
  constructor(readonly load: (userIds: readonly string[]) => Promise<TopicRows>) {}

  /** Users of `userIds` whose profile is not loaded yet. */
  missing(userIds: Iterable<string>): string[] {
    return [...new Set(userIds)].filter((id) => !this.#profiles.has(id));
  }

  /** Stores the profiles read for `requested`; a user without rows gets an empty profile. */
  store(requested: readonly string[], rows: readonly TopicRow[]): void {
    const entries = new Map<string, [string, number][]>();
    for (const row of rows) {
      const list = entries.get(row.user_id) ?? [];
      list.push([row.topic, row.engagements]);
      entries.set(row.user_id, list);
    }
    for (const id of requested) this.#profiles.set(id, topicProfile(entries.get(id) ?? []));
  }

  get(userId: string): TopicProfile {
    return this.#profiles.get(userId) ?? EMPTY_TOPIC_PROFILE;
  }
}
