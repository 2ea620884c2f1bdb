import type { CandidatePost, ViewerAffinity } from "../src/feed.ts";

export const now = new Date("2026-03-01T12:00:00Z");
export const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

/** A plain candidate: a two-hour-old text post, quality 0.5, no other signal, unseen. */
export function candidate(p: Partial<CandidatePost> = {}): CandidatePost {
  return {
    postId: "p",
    authorId: "a",
    type: "TEXT",
    createdAt: hoursAgo(2),
    topics: [],
    quality: 0.5,
    popularity: null,
    isTrending: false,
    compatibility: null,
    matchScore: null,
    seen: false,
    ...p,
  };
}

/** A viewer profile: creator weights, topic weights, content-type shares (even by default). */
export function affinity(
  creators: Record<string, number> = {},
  topics: Record<string, number> = {},
  types: Partial<ViewerAffinity["contentTypes"]> = {},
): ViewerAffinity {
  return {
    creators: new Map(Object.entries(creators)),
    topics: new Map(Object.entries(topics)),
    contentTypes: { PHOTO: 0.25, TEXT: 0.25, POLL: 0.25, VIDEO: 0.25, ...types },
  };
}
