import type { JobContext } from "@feed-jobs/jobs";
import {
  type AffinityProfile,
  type AffinitySettings,
  type AffinityV2Params,
  activityV2,
  buildAffinityProfile,
  buildAffinityProfileV2,
  type CreatorAudience,
  hasEnoughHistory,
  type PostSignal,
  type PostTypeName,
  type SignalWeights,
  type UserSignals,
} from "@feed-jobs/scoring/affinity";
import { carryOver } from "../shards.ts";
import { loadOwnPosts, type OwnPostRow } from "./post-signal-queries.ts";
import type { PostTopicBook } from "./post-topics.ts";
import { addProfilesToRebuild, PROFILES_BY_USER, writeProfiles } from "./queries.ts";
import {
  aggregateSignals,
  type BatchUserRow,
  type CreatorRows,
  loadBatchUsers,
  loadNegatives,
  type NegativeRow,
  type SignalRow,
} from "./signal-queries.ts";
import type { LookbackWindow } from "./sql.ts";

/**
 * Audience and availability of creators, loaded once per run for the creators the batches
 * need: a creator two batches share is read once, and a one-user run reads only its own.
 */
export class CreatorBook implements CreatorAudience {
  private readonly audiences = new Map<string, number>();
  private readonly unavailable = new Set<string>();
  /** Creator id → the load that reads it, so concurrent batches never read one twice. */
  private readonly loads = new Map<string, Promise<void>>();

  constructor(
    /** Reads the rows of creators not loaded yet (aggregated, or a full run's stored ones). */
    private readonly read: (creatorIds: readonly string[]) => Promise<CreatorRows>,
    readonly population: number,
    /** Told how many actions of ineligible people each load left out of audiences. */
    private readonly onIneligibleActions: (count: number) => void = () => {},
  ) {}

  audienceOf(creatorId: string): number {
    return this.audiences.get(creatorId) ?? 0;
  }

  isAvailable(creatorId: string): boolean {
    return !this.unavailable.has(creatorId);
  }

  /** Makes sure the creators are loaded; returns the rows this call read. */
  async load(creatorIds: Iterable<string>): Promise<number> {
    const wanted = new Set(creatorIds);
    const missing = [...wanted].filter((id) => !this.loads.has(id));
    let rowsRead = 0;
    if (missing.length > 0) {
      const load = this.read(missing).then((read) => {
        for (const row of read.rows) {
          this.audiences.set(row.creator_id, row.audience);
          if (!row.available) this.unavailable.add(row.creator_id);
          this.onIneligibleActions(row.ineligible_events);
        }
        rowsRead = read.rowsRead;
      });
      for (const id of missing) this.loads.set(id, load);
    }
    await Promise.all(new Set([...wanted].map((id) => this.loads.get(id))));
    return rowsRead;
  }
}

/** What affinity-v2 adds to a run: its constants and the posts' topics. */
export interface V2Plan {
  readonly params: AffinityV2Params;
  readonly posts: PostTopicBook;
}

export interface BatchPlan {
  readonly window: LookbackWindow;
  readonly settings: AffinitySettings;
  readonly weights: SignalWeights;
  readonly recencyDecayFactor: number;
  readonly creators: CreatorBook;
  /** Present when the run is affinity-v2. */
  readonly v2: V2Plan | null;
  /** Where profiles go: the table itself, or (a full run's shard) its rebuild copy. */
  readonly target: "in place" | "rebuild";
}

export interface BatchOutcome {
  readonly profiles: AffinityProfile[];
  /** Users of the batch without a profile now (cold start or ineligible). */
  readonly withoutProfile: number;
  readonly upserted: number;
  readonly removed: number;
}

/** Scores one batch of users and writes it (unless a dry run): set-based reads, one write. */
export async function processBatch(
  ctx: JobContext<unknown>,
  plan: BatchPlan,
  userIds: readonly string[],
): Promise<BatchOutcome> {
  const sql = ctx.db.prisma;
  const { window, settings, v2 } = plan;
  const users = await loadBatchUsers(sql, userIds, window.now);
  const { weights, recencyDecayFactor: decay } = plan;
  const rows = await aggregateSignals(sql, userIds, window, weights, decay, v2 !== null);
  const negatives = await loadNegatives(sql, userIds, window.now);
  const ownRows = v2 ? await loadOwnPosts(sql, userIds, window, weights, decay) : [];
  const eventsRead = [...rows, ...ownRows].reduce((sum, r) => sum + r.events, 0);
  ctx.scanned(eventsRead + negatives.length);
  const rowOf = new Map(rows.map((r) => [r.user_id, r]));
  const ownRowOf = new Map(ownRows.map((r) => [r.user_id, r]));
  // Only users who will get a profile need their creators' audiences (and, in v2, post topics).
  const scorable = (userId: string) => {
    const actionCount = rowOf.get(userId)?.actions ?? 0;
    if (!v2) return hasEnoughHistory({ actionCount }, settings);
    const ownPostCount = ownRowOf.get(userId)?.own_posts ?? 0;
    return activityV2({ actionCount, ownPostCount }) >= v2.params.minInteractions;
  };
  const scorableIds = userIds.filter(scorable);
  ctx.scanned(
    await plan.creators.load(scorableIds.flatMap((id) => rowOf.get(id)?.creator_ids ?? [])),
  );
  await v2?.posts.load(
    scorableIds.flatMap((id) => [
      ...(rowOf.get(id)?.post_ids ?? []),
      ...(ownRowOf.get(id)?.post_ids ?? []),
    ]),
  );

  const profiles: AffinityProfile[] = [];
  const withoutProfile: string[] = [];
  const failed: string[] = [];
  for (const s of assembleSignals(users, rows, negatives, plan.creators)) {
    try {
      const profile = s.ineligible
        ? null
        : scoreUser(plan, s, rowOf.get(s.userId), ownRowOf.get(s.userId));
      if (profile) profiles.push(profile);
      else withoutProfile.push(s.userId);
    } catch (error) {
      ctx.failed(s.userId, error);
      failed.push(s.userId);
    }
  }
  if (ctx.options.dryRun) ctx.collect?.(profiles);
  const stamp = { computedAt: window.now, algorithmVersion: ctx.algorithmVersion };
  let written = { upserted: 0, removed: 0 };
  if (!ctx.options.dryRun && plan.target === "rebuild") {
    // A user who could not be scored keeps their profile, as in place.
    await carryOver(sql, PROFILES_BY_USER, failed);
    written = await addProfilesToRebuild(sql, profiles, withoutProfile, stamp);
  } else if (!ctx.options.dryRun) {
    written = await writeProfiles(sql, profiles, withoutProfile, stamp);
  }
  ctx.written(written.upserted + written.removed);
  ctx.processed(profiles.length + withoutProfile.length);
  return { profiles, withoutProfile: withoutProfile.length, ...written };
}

/** The run's version's profile of one user (null: cold start). */
function scoreUser(
  plan: BatchPlan,
  signals: UserSignals,
  row: SignalRow | undefined,
  ownRow: OwnPostRow | undefined,
) {
  if (!plan.v2) return buildAffinityProfile(signals, plan.creators, plan.settings);
  const withPosts = {
    ...signals,
    posts: postSignals(row, ownRow, plan.v2.posts),
    ownPostCount: ownRow?.own_posts ?? 0,
  };
  return buildAffinityProfileV2(withPosts, plan.creators, plan.settings, plan.v2.params);
}

/** The user's posts in the window (engaged with, or their own) with their topics (v2). */
function postSignals(
  row: SignalRow | undefined,
  ownRow: OwnPostRow | undefined,
  posts: PostTopicBook,
): PostSignal[] {
  const byId = new Map<string, { engaged: number; authored: number; received: number }>();
  const entry = (postId: string) => {
    const known = byId.get(postId) ?? { engaged: 0, authored: 0, received: 0 };
    byId.set(postId, known);
    return known;
  };
  row?.post_ids?.forEach((postId, i) => {
    entry(postId).engaged += row.post_weights?.[i] ?? 0;
  });
  ownRow?.post_ids.forEach((postId, i) => {
    const own = entry(postId);
    own.authored += ownRow.authored[i] ?? 0;
    own.received += ownRow.received[i] ?? 0;
  });
  return [...byId].map(([postId, w]) => ({ postId, ...w, ...posts.topicsOf(postId) }));
}

interface BatchUserSignals extends UserSignals {
  readonly ineligible: boolean;
}

/** `keys[i]` with `weights[i]`, sorted by key so that sums do not depend on the SQL plan. */
function weighted<Key extends string>(keys: readonly Key[] = [], weights: readonly number[] = []) {
  return keys
    .map((key, i) => ({ key, weight: weights[i] ?? 0 }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** One set of signals per batch user, in id order; a user without events gets empty ones. */
function assembleSignals(
  users: readonly BatchUserRow[],
  rows: readonly SignalRow[],
  negatives: readonly NegativeRow[],
  creators: CreatorBook,
): BatchUserSignals[] {
  const rowOf = new Map(rows.map((r) => [r.user_id, r]));
  const negativesOf = new Map<string, UserSignals["negatives"][number][]>();
  for (const n of negatives) {
    const list = negativesOf.get(n.user_id) ?? [];
    list.push({ kind: n.kind, creatorId: n.creator_id, ageDays: n.age_days, topics: n.topics });
    negativesOf.set(n.user_id, list);
  }
  return [...users]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((u) => {
      const r = rowOf.get(u.id);
      return {
        userId: u.id,
        ineligible: u.ineligible,
        accountAgeDays: u.account_age_days,
        actionCount: r?.actions ?? 0,
        creators: weighted(r?.creator_ids, r?.creator_weights).map((c) => ({
          ...c,
          available: creators.isAvailable(c.key),
        })),
        topics: weighted(r?.topics, r?.topic_weights),
        postTypes: weighted(r?.post_types as PostTypeName[] | undefined, r?.post_type_weights),
        negatives: negativesOf.get(u.id) ?? [],
      };
    });
}
