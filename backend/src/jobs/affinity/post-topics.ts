import { type PostTopics, tagTopicsOf } from "@feed-jobs/scoring/affinity";
import { loadPostTopics } from "./post-signal-queries.ts";
import type { Sql } from "./sql.ts";

const NO_TOPICS: PostTopics = { topics: [], tagTopics: new Set() };

/**
 * affinity-v2: each post's topics and which of them are its tags, loaded once per run for the
 * posts the batches need (a post many users engaged with is read and normalised once).
 */
export class PostTopicBook {
  private readonly posts = new Map<string, PostTopics>();
  /** Post id → the load that reads it, so concurrent batches never read one twice. */
  private readonly loads = new Map<string, Promise<void>>();

  constructor(private readonly db: Sql) {}

  topicsOf(postId: string): PostTopics {
    return this.posts.get(postId) ?? NO_TOPICS;
  }

  /** Makes sure the posts are loaded. */
  async load(postIds: Iterable<string>): Promise<void> {
    const wanted = new Set(postIds);
    const missing = [...wanted].filter((id) => !this.loads.has(id));
    if (missing.length > 0) {
      const load = loadPostTopics(this.db, missing).then((rows) => {
        for (const row of rows) {
          this.posts.set(row.post_id, { topics: row.topics, tagTopics: tagTopicsOf(row.tags) });
        }
      });
      for (const id of missing) this.loads.set(id, load);
    }
    await Promise.all(new Set([...wanted].map((id) => this.loads.get(id))));
  }
}
