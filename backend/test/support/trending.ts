import type { EngagementType } from "@feed-jobs/db";
import type { Fixtures } from "./database.ts";

/** The trending suites' viewers: viewer-1 … viewer-12 act on the author's posts. */
const VIEWERS = 12;
const viewer = (i: number) => `viewer-${i}`;

/** The trending suites' people: "author", whose posts are ranked, and the viewers. */
export async function authorAndViewers(f: Fixtures): Promise<void> {
  await f.user({ id: "author" });
  for (let i = 1; i <= VIEWERS; i++) await f.user({ id: viewer(i) });
}

/** `count` events of `type` on `postId`, one per viewer (viewer-1, viewer-2, …), all at `at`. */
export function engageByViewers(
  f: Fixtures,
  postId: string,
  type: EngagementType,
  count: number,
  at: Date,
): Promise<void> {
  const actors = Array.from({ length: count }, (_, i) => viewer(i + 1));
  return f.events(actors.map((actorId) => ({ actorId, type, postId, at })));
}
