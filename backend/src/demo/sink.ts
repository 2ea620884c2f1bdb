import { EVENT_TYPES } from "./constants.ts";
import type { Tx } from "./insert.ts";
import type { Person } from "./population.ts";
import type { PostPlan } from "./posts.ts";

/**
 * Buffers generated engagement events and writes them in chunks (sorted by time within a
 * chunk), so that memory stays bounded however many events the population produces.
 * Columns travel as one comma-joined string each (ids, enum names and integers contain no
 * commas), which PGlite parses about twice as fast as bound arrays.
 */
export class EventSink {
  private actor: number[] = [];
  private type: number[] = [];
  private post: number[] = [];
  private target: number[] = [];
  private at: number[] = [];
  readonly counts: number[] = EVENT_TYPES.map(() => 0);
  written = 0;

  constructor(
    private readonly tx: Tx,
    private readonly people: readonly Person[],
    private readonly posts: readonly PostPlan[],
    private readonly chunk = 50_000,
  ) {}

  /** `post` is an index into the posts, or -1 for profile-level events. */
  push(actor: number, type: number, post: number, target: number, at: number): void {
    this.actor.push(actor);
    this.type.push(type);
    this.post.push(post);
    this.target.push(target);
    this.at.push(at);
    this.counts[type] = (this.counts[type] ?? 0) + 1;
  }

  get full(): boolean {
    return this.at.length >= this.chunk;
  }

  async flush(): Promise<void> {
    const n = this.at.length;
    if (n === 0) return;
    const at = this.at;
    const order = Array.from({ length: n }, (_, i) => i).sort(
      (a, b) => (at[a] ?? 0) - (at[b] ?? 0),
    );
    const actors: string[] = new Array(n);
    const types: string[] = new Array(n);
    const posts: string[] = new Array(n);
    const targets: string[] = new Array(n);
    const times: number[] = new Array(n);
    order.forEach((i, k) => {
      actors[k] = this.people[this.actor[i] ?? 0]?.id ?? "";
      types[k] = EVENT_TYPES[this.type[i] ?? 0] ?? "IMPRESSION";
      const p = this.post[i] ?? -1;
      posts[k] = p < 0 ? "" : (this.posts[p]?.id ?? "");
      targets[k] = this.people[this.target[i] ?? 0]?.id ?? "";
      times[k] = at[i] ?? 0;
    });
    await this.tx.$executeRaw`
      INSERT INTO engagement_events (actor_id, type, post_id, target_user_id, occurred_at)
      SELECT a, t::"EngagementType", p, u, timestamp '1970-01-01' + ms * interval '1 millisecond'
      FROM unnest(string_to_array(${actors.join(",")}, ','), string_to_array(${types.join(",")}, ','),
        string_to_array(${posts.join(",")}, ',', ''), string_to_array(${targets.join(",")}, ','),
        string_to_array(${times.join(",")}, ',')::float8[]) AS x(a, t, p, u, ms)`;
    this.written += n;
    this.actor = [];
    this.type = [];
    this.post = [];
    this.target = [];
    this.at = [];
  }
}
