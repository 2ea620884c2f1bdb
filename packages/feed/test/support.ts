import type { Database, PostType } from "@feed-jobs/db";
import { type FeedPage, type RankFeedOptions, rankFeed } from "../src/index.ts";

const DAY_MS = 86_400_000;
let scenes = 0;

export interface PostInput {
  author: string;
  type?: PostType;
  /** Age at the scene's clock. Default 2. */
  hoursAgo?: number;
  topics?: string[];
  /** Default 0.5 (above the 0.3 threshold). */
  quality?: number | null;
  nsfw?: boolean;
  /** False: no PostFeatures row. Default true. */
  features?: boolean;
  deleted?: boolean;
}

/**
 * One test's world in a shared database: its own id prefix and its own clock, 30 days after
 * the previous scene's, so that no test sees another's posts (candidates are from the last 7
 * days before the clock). Rows go straight into the precomputed tables, as the jobs would.
 */
export function scene(db: Database) {
  const n = ++scenes;
  const now = new Date(Date.UTC(2026, 0, 1) + n * 30 * DAY_MS);
  const id = (name: string) => `s${n}-${name}`;
  const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
  const p = db.prisma;
  return {
    now,
    id,
    hoursAgo,
    /** An adult (30) unless `age` says otherwise; `age: null`: no birth date. */
    async user(
      name: string,
      status: { deactivated?: boolean; deleted?: boolean; age?: number | null } = {},
    ) {
      const age = status.age === undefined ? 30 : status.age;
      await p.user.create({
        data: {
          id: id(name),
          displayName: name,
          birthDate:
            age === null
              ? null
              : new Date(Date.UTC(now.getUTCFullYear() - age, now.getUTCMonth(), now.getUTCDate())),
          deactivatedAt: status.deactivated ? hoursAgo(24) : null,
          deletedAt: status.deleted ? hoursAgo(24) : null,
        },
      });
      return id(name);
    },
    async post(name: string, input: PostInput) {
      await p.post.create({
        data: {
          id: id(name),
          authorId: input.author,
          type: input.type ?? "TEXT",
          createdAt: hoursAgo(input.hoursAgo ?? 2),
          deletedAt: input.deleted ? hoursAgo(0.5) : null,
        },
      });
      if (input.features === false) return id(name);
      await p.postFeatures.create({
        data: {
          postId: id(name),
          topics: input.topics ?? [],
          quality: input.quality === undefined ? 0.5 : input.quality,
          nsfw: input.nsfw ?? false,
          inputHash: "test",
          algorithmVersion: "test",
        },
      });
      return id(name);
    },
    async trending(
      postId: string,
      popularity: number,
      opts: { trending?: boolean; expired?: boolean } = {},
    ) {
      await p.trendingScore.create({
        data: {
          postId,
          popularity,
          isTrending: opts.trending ?? false,
          expiresAt: opts.expired ? hoursAgo(1) : hoursAgo(-24),
          algorithmVersion: "test",
        },
      });
    },
    async compatibility(viewer: string, target: string, score: number) {
      await p.userCompatibility.create({
        data: {
          viewerUserId: viewer,
          targetUserId: target,
          score,
          factors: {},
          algorithmVersion: "test",
        },
      });
    },
    async match(viewer: string, candidate: string, score: number, reasons: string[] = []) {
      await p.matchScore.create({
        data: {
          viewerUserId: viewer,
          candidateUserId: candidate,
          score,
          reasons,
          algorithmVersion: "test",
        },
      });
    },
    async affinity(
      viewer: string,
      profile: {
        creators?: Record<string, number>;
        topics?: Record<string, number>;
        types?: Record<string, number>;
      },
    ) {
      const entries = (r: Record<string, number> | undefined, key: string) =>
        Object.entries(r ?? {}).map(([k, weight]) => ({ [key]: k, weight }));
      await p.userAffinityProfile.create({
        data: {
          userId: viewer,
          topCreators: entries(profile.creators, "userId"),
          topTopics: entries(profile.topics, "tag"),
          contentTypePrefs: profile.types ?? {
            photos: 0.25,
            text: 0.25,
            polls: 0.25,
            videos: 0.25,
          },
          algorithmVersion: "test",
        },
      });
    },
    async state(viewer: string, s: { excluded?: string[]; hidden?: string[]; seen?: string[] }) {
      await p.viewerFeedState.create({
        data: {
          viewerUserId: viewer,
          excludedCreatorIds: s.excluded ?? [],
          hiddenPostIds: s.hidden ?? [],
          seenPostIds: s.seen ?? [],
          computedAt: hoursAgo(0.25),
          algorithmVersion: "test",
        },
      });
    },
    feed(viewer: string, options: Partial<RankFeedOptions> = {}): Promise<FeedPage> {
      return rankFeed(db, viewer, { now, limit: 100, ...options });
    },
  };
}

export const idsOf = (page: FeedPage) => page.items.map((item) => item.postId);

/** The post's 1-based rank in the page; throws when it is not there. */
export function rankOf(page: FeedPage, postId: string): number {
  const item = page.items.find((i) => i.postId === postId);
  if (!item) throw new Error(`${postId} is not in the feed: ${idsOf(page).join(", ")}`);
  return item.rank;
}

/** `first` and every page after it, following nextCursor to the end. */
export async function followCursors(
  first: FeedPage,
  next: (cursor: string) => Promise<FeedPage>,
): Promise<FeedPage[]> {
  const pages = [first];
  for (let page = first; page.nextCursor; ) {
    page = await next(page.nextCursor);
    pages.push(page);
  }
  return pages;
}
